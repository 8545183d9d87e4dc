import uPlot from 'uplot';
import type { RatePoint } from '../throughput-history.js';

interface SeriesSpec {
  readonly label: string;
  readonly color: string;
  readonly value: (point: RatePoint) => number | null;
}

interface ChartSpec {
  readonly label: string;
  readonly series: readonly SeriesSpec[];
}

const BLUE = '#2f6fdf';
const one = (label: string, value: SeriesSpec['value']): ChartSpec => ({
  label,
  series: [{ label, color: BLUE, value }],
});

/** The charts of one connector's page, in order. */
export const CONNECTOR_CHARTS: readonly ChartSpec[] = [
  one('records/s', (p) => p.recordsPerSecond),
  one('errors/s', (p) => p.errorsPerSecond),
  one('lag (records)', (p) => p.lag ?? null),
  {
    label: 'poll/put time (ms): average, longest',
    series: [
      { label: 'average', color: BLUE, value: (p) => p.batchMs ?? null },
      { label: 'longest', color: '#b7791f', value: (p) => p.batchMaxMs ?? null },
    ],
  },
  one('batch commit latency (ms)', (p) => p.commitMs ?? null),
];

const charts = new WeakMap<HTMLElement, uPlot>();

/**
 * Draws (or updates) each chart into its `[data-chart]` container under `root`. uPlot keeps its own canvas,
 * so the chart is created once per container and then only given new data.
 */
export function drawCharts(root: ParentNode, points: readonly RatePoint[]): void {
  root.querySelectorAll<HTMLElement>('[data-chart]').forEach((container) => {
    const spec = CONNECTOR_CHARTS[Number(container.dataset['chart'])];
    if (spec === undefined) return;
    const data: uPlot.AlignedData = [
      points.map((p) => p.t),
      ...spec.series.map((series) => points.map(series.value)),
    ];
    const existing = charts.get(container);
    if (existing !== undefined) {
      existing.setData(data);
      return;
    }
    const chart = new uPlot(
      {
        width: 360,
        height: 140,
        legend: { show: false },
        // One point alone would make uPlot span years: show at least the minute before it.
        // No point yet: the last hour, rather than uPlot's default of 1970.
        scales: {
          x: {
            range: (_chart, min, max) => {
              if (!Number.isFinite(min) || !Number.isFinite(max)) {
                const now = Date.now() / 1000;
                return [now - 3600, now];
              }
              return [Math.min(min, max - 60), max];
            },
          },
        },
        series: [
          {},
          ...spec.series.map((series) => ({
            label: series.label,
            stroke: series.color,
            width: 1.5,
            spanGaps: true,
          })),
        ],
        axes: [{}, { size: 50 }],
      },
      data,
      container,
    );
    charts.set(container, chart);
  });
}
