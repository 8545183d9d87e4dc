import type { RouteSpec } from '../route-spec.js';
import { processMetrics, processMetricsHistory } from '../../runtime/metrics/process-metrics.js';
import { queryString } from '../query-params.js';

/**
 * Prometheus scrape endpoint. It shows this process's metrics (every worker in it, as a JVM's JMX exporter
 * shows the whole JVM), not the herder's view of the cluster, so it reads no herder.
 */
export const metricsRoutes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/metrics',
    summary: 'Worker, connector and task metrics in the Prometheus text format (docs/metrics.md)',
    responses: {
      200: { description: 'Prometheus text exposition format 0.0.4', mediaType: 'text/plain; version=0.0.4' },
    },
    handle: async () => {
      const metrics = processMetrics();
      return {
        status: 200,
        body: await metrics.render(),
        headers: { 'content-type': metrics.contentType },
      };
    },
  },
  {
    method: 'GET',
    path: '/metrics/history',
    summary:
      "The last hour of each connector's records/s, errors/s, lag, batch and commit times on this process's workers, one point per 10 s, and their recent rebalances (docs/metrics.md)",
    query: [{ name: 'connector', type: 'string', description: 'only this connector' }],
    responses: { 200: { description: 'Points per connector, oldest first', schema: 'MetricsHistory' } },
    handle: async (_herder, request) => {
      const history = processMetricsHistory();
      const connector = queryString(request.query['connector']);
      return {
        status: 200,
        body: {
          interval_ms: history.intervalMs,
          connectors: history.points(connector),
          rebalances: history.rebalances(),
        },
      };
    },
  },
];
