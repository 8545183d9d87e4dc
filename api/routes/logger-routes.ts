import type { RouteSpec } from '../route-spec.js';
import { SluiceError } from '../../runtime/errors/sluice-error.js';
import { queryString } from '../query-params.js';
import { serverError } from './responses.js';

/** The log4j level names Connect accepts (any case); the herder maps them onto its own logger. */
const logLevels = new Set(['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL']);

const loggerNotFound = {
  description: 'Logger not found, or the level is not a known level',
  schema: 'ErrorMessage',
} as const;

export const loggerRoutes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/admin/loggers',
    summary: 'List the loggers whose level was explicitly set, with their levels',
    responses: {
      200: { description: 'Levels keyed by logger name', schema: 'LoggerLevels' },
      500: serverError,
    },
    handle: async (herder) => ({ status: 200, body: herder.loggers() }),
  },
  {
    method: 'GET',
    path: '/admin/loggers/{logger}',
    summary: 'Get the level of the specified logger',
    responses: {
      200: { description: 'The logger level', schema: 'LoggerLevel' },
      404: loggerNotFound,
      500: serverError,
    },
    handle: async (herder, request) => ({ status: 200, body: herder.logger(request.params['logger'] ?? '') }),
  },
  {
    method: 'PUT',
    path: '/admin/loggers/{logger}',
    summary: 'Set the level of the specified logger and its descendants',
    body: 'LoggerLevelRequest',
    query: [{ name: 'scope', type: 'string', description: 'worker (default) or cluster' }],
    responses: {
      200: { description: 'Names of the loggers whose level changed (worker scope)', schema: 'LoggerNames' },
      204: { description: 'Level change applied (cluster scope)' },
      400: { description: 'No level given', schema: 'ErrorMessage' },
      404: loggerNotFound,
      500: serverError,
    },
    handle: async (herder, request) => {
      const level = (request.body as { level?: string | null }).level;
      if (level === undefined || level === null) {
        throw new SluiceError('INVALID_REQUEST', ["Desired 'level' parameter was not specified in request."]);
      }
      if (!logLevels.has(level.toUpperCase())) throw new SluiceError('INVALID_LOG_LEVEL', [level]);
      const changed = herder.setLogLevel(request.params['logger'] ?? '', level);
      // Like Connect, an unknown scope falls back to the worker scope.
      return queryString(request.query['scope'])?.toLowerCase() === 'cluster'
        ? { status: 204 }
        : { status: 200, body: changed };
    },
  },
];
