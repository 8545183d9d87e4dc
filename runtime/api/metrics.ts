/**
 * Metrics a plugin shows on the worker's `GET /metrics`, beside the runtime's Connect metrics. A connector
 * never imports a metrics library: its task asks its context (`taskMetricsOf(context)`) and registers
 * families whose values it computes from its own plain counters when the endpoint is scraped. Name the
 * families as the Prometheus JMX exporter names the Java plugin's MBean attributes (docs/metrics.md), so
 * dashboards built for the Java plugin keep working.
 */

export type MetricLabels = Readonly<Record<string, string>>;

export interface MetricFamily {
  /** The Prometheus name, e.g. `debezium_metrics_RowsScanned`. */
  readonly name: string;
  readonly help: string;
  /** `counter` only for monotonic totals; anything that can go down is a `gauge`. */
  readonly type: 'counter' | 'gauge';
  /** The runtime adds `connector` and `task` (the registering task's) before these; a plugin may not use them. */
  readonly labelNames: readonly string[];
}

export interface MetricSample {
  readonly labels: MetricLabels;
  readonly value: number;
}

/**
 * A statistic over Kafka's metrics window (two samples of 30 s, as `metrics.sample.window.ms` and
 * `metrics.num.samples` default): the `-avg`, `-max`, `-min` and `-rate` values of a Java Sensor.
 */
export interface SampledStat {
  /** Records one value at `at` (epoch ms; now when left out). */
  record(value: number, at?: number): void;
  /** NaN when nothing was recorded in the window, as Kafka's Avg, Max and Min read. */
  avg(): number;
  max(): number;
  min(): number;
  /** The sum of the recorded values per second over the window. */
  rate(): number;
}

/** What a task's context lends for metrics; families live from registration until the task stops. */
export interface TaskMetricsRegistry {
  /**
   * Shows `family` on `GET /metrics` while this task runs; `samples` is called at every scrape and gives
   * this task's series. Several tasks (and connectors of different plugins) may register the same family
   * with the same type and label names: their series are shown together. A name the runtime already uses,
   * or a second definition that differs, throws METRIC_CONFLICT.
   */
  register(family: MetricFamily, samples: () => Iterable<MetricSample>): void;
  /** A new windowed statistic on the runtime's clock. */
  sampledStat(): SampledStat;
}

/** A task context from a runtime that shows plugin metrics (the Sluice worker's do). */
export interface MetricsContext {
  readonly metrics: TaskMetricsRegistry;
}

const NOWHERE: TaskMetricsRegistry = {
  register: () => undefined,
  sampledStat: () => ({
    record: () => undefined,
    avg: () => Number.NaN,
    max: () => Number.NaN,
    min: () => Number.NaN,
    rate: () => 0,
  }),
};

/**
 * The metrics registry the runtime put on this task context; a registry that shows nothing when the
 * context has none (a test harness, or a runtime without /metrics), so a task never has to check.
 */
export function taskMetricsOf(context: object): TaskMetricsRegistry {
  const metrics = (context as Partial<MetricsContext>).metrics;
  return metrics !== undefined && typeof metrics.register === 'function' ? metrics : NOWHERE;
}
