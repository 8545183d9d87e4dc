import uPlot from 'uplot';
import type { RatePoint } from '../throughput-history.js';

interface ChartSpec {
  readonly label: string;
  readonly value: (point: RatePoint) => number | null;
}

/** The charts of one connector's page, in order. */
export const CONNECTOR_CHARTS: readonly ChartSpec[] = [
  { label: 'records/s', value: (p) => p.recordsPerSecond },
  { label: 'errors/s', value: (p) => p.errorsPerSecond },
  { label: 'lag (records)', value: (p) => p.lag ?? null },
  { label: 'batch time (ms)', value: (p) => p.batchMs ?? null },
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
    const data: uPlot.AlignedData = [points.map((p) => p.t), points.map(spec.value)];
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
        scales: { x: { range: (_chart, min, max) => [Math.min(min, max - 60), max] } },
        series: [{}, { label: spec.label, stroke: '#2f6fdf', width: 1.5, spanGaps: true }],
        axes: [{}, { size: 50 }],
      },
      data,
      container,
    );
    charts.set(container, chart);
  });
}
