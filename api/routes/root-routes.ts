import type { RouteSpec } from '../route-spec.js';
import type { HealthInfo } from '../../runtime/cluster/rest-types.js';
import { principalView } from '../../runtime/security/index.js';

/** Connect answers 503 while the worker starts and 500 when it cannot serve requests. */
const healthStatusCodes: Readonly<Record<HealthInfo['status'], number>> = {
  healthy: 200,
  starting: 503,
  unhealthy: 500,
};

const unhealthyAfterTimeout: HealthInfo = {
  status: 'unhealthy',
  message: 'Worker was unable to handle this request and may be unable to handle other requests.',
};

export const rootRoutes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/',
    summary: 'Get details about this Connect worker and the id of the Kafka cluster it is connected to',
    responses: { 200: { description: 'Worker version, commit and Kafka cluster id', schema: 'ServerInfo' } },
    handle: async (herder) => ({ status: 200, body: herder.serverInfo() }),
  },
  {
    method: 'GET',
    path: '/health',
    summary: 'Health check: whether the worker has started and can serve requests',
    responses: {
      200: { description: 'The worker is healthy', schema: 'WorkerStatus' },
      500: { description: 'The worker is unhealthy', schema: 'WorkerStatus' },
      503: { description: 'The worker is still starting', schema: 'WorkerStatus' },
    },
    handle: async (herder) => {
      const health = await herder.health();
      return { status: healthStatusCodes[health.status], body: health };
    },
    onTimeout: () => ({ status: 500, body: unhealthyAfterTimeout }),
  },
  {
    method: 'GET',
    path: '/principal',
    summary:
      'Who the request was authenticated as, its role and tenant, and whether it may change connectors (the web console hides what it may not do)',
    responses: { 200: { description: 'The caller', schema: 'Principal' } },
    handle: async (_herder, request) => ({ status: 200, body: principalView(request.principal) }),
  },
];
