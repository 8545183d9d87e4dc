import { PrometheusMetrics } from './prometheus-metrics.js';

let shared: PrometheusMetrics | undefined;

/**
 * The metrics of this process, as one scrape of a Connect JVM's JMX exporter shows everything in the JVM:
 * every worker the process runs (one, or one per cluster in `sluice mirror`) adds its counters here, and
 * each REST listener's GET /metrics renders them with the Node.js process metrics.
 */
export function processMetrics(): PrometheusMetrics {
  shared ??= new PrometheusMetrics({ defaultMetrics: true });
  return shared;
}
