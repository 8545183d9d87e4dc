import { MetricsHistory } from './metrics-history.js';
import { PrometheusMetrics } from './prometheus-metrics.js';

let shared: PrometheusMetrics | undefined;
let history: MetricsHistory | undefined;

/**
 * The metrics of this process, as one scrape of a Connect JVM's JMX exporter shows everything in the JVM:
 * every worker the process runs (one, or one per cluster in `sluice mirror`) adds its counters here, and
 * each REST listener's GET /metrics renders them with the Node.js process metrics.
 */
export function processMetrics(): PrometheusMetrics {
  shared ??= new PrometheusMetrics({ defaultMetrics: true });
  return shared;
}

/**
 * The last hour of this process's connector metrics (GET /metrics/history). It samples from the moment the
 * process's metrics exist, which is when its first worker is wired, so the hour covers the worker's life.
 */
export function processMetricsHistory(): MetricsHistory {
  const metrics = processMetrics();
  history ??= new MetricsHistory(() => metrics.attachedWorkers()).start();
  return history;
}
