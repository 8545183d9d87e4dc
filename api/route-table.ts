import type { RouteSpec } from './route-spec.js';
import { rootRoutes } from './routes/root-routes.js';
import { connectorRoutes } from './routes/connector-routes.js';
import { connectorLifecycleRoutes } from './routes/connector-lifecycle-routes.js';
import { connectorOffsetsRoutes } from './routes/connector-offsets-routes.js';
import { connectorLogRoutes } from './routes/connector-log-routes.js';
import { pluginRoutes } from './routes/plugin-routes.js';
import { loggerRoutes } from './routes/logger-routes.js';
import { metricsRoutes } from './routes/metrics-routes.js';
import { jobRoutes } from './routes/job-routes.js';

/** Every Herder-backed endpoint of the REST API, in the order the OpenAPI document lists them. */
export const restRoutes: readonly RouteSpec[] = [
  ...rootRoutes,
  ...connectorRoutes,
  ...connectorLifecycleRoutes,
  ...connectorOffsetsRoutes,
  ...connectorLogRoutes,
  ...pluginRoutes,
  ...loggerRoutes,
  ...metricsRoutes,
  ...jobRoutes,
];
