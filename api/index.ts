export { createRestServer, DEFAULT_REQUEST_TIMEOUT_MS, type RestServerOptions } from './rest-server.js';
export { startRestServer, type RunningRestServer, type StartRestServerOptions } from './start-rest-server.js';
export { parseListeners, type RestListener } from './listeners.js';
export { buildOpenApiDocument } from './openapi-document.js';
export { restRoutes } from './route-table.js';
export type { ErrorBody } from './error-reply.js';
