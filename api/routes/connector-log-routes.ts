import type { RouteSpec } from '../route-spec.js';
import { SluiceError } from '../../runtime/errors/sluice-error.js';
import { queryString } from '../query-params.js';
import { connectorErrors } from './responses.js';

/** The longest a request may wait for a new line; a client that follows the log asks again. */
const MAX_WAIT_MS = 30_000;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1_000;

function integerParameter(value: string | string[] | undefined, name: string, fallback: number): number {
  const text = queryString(value);
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new SluiceError('INVALID_REQUEST', [
      `'${name}' must be a whole number of at least 0 (got "${text}")`,
    ]);
  return n;
}

export const connectorLogRoutes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/connectors/{connector}/logs',
    summary:
      "Recent log lines of the connector and its tasks kept by this worker (newest last); with wait_ms, waits for a line after 'since'",
    query: [
      {
        name: 'since',
        type: 'string',
        description: "only lines whose seq is above this (a previous reply's next)",
      },
      {
        name: 'limit',
        type: 'string',
        description: `at most this many lines, the newest (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT})`,
      },
      {
        name: 'wait_ms',
        type: 'string',
        description: `when no line is newer than since, wait up to this long for one (at most ${MAX_WAIT_MS})`,
      },
    ],
    responses: {
      200: { description: "This worker's lines of the connector and its tasks", schema: 'ConnectorLogs' },
      400: { description: 'A query parameter is not a whole number', schema: 'ErrorMessage' },
      ...connectorErrors,
    },
    handle: async (herder, request) => {
      const since = integerParameter(request.query['since'], 'since', 0);
      const limit = Math.min(MAX_LIMIT, integerParameter(request.query['limit'], 'limit', DEFAULT_LIMIT));
      const waitMs = Math.min(MAX_WAIT_MS, integerParameter(request.query['wait_ms'], 'wait_ms', 0));
      return {
        status: 200,
        body: await herder.connectorLogs(request.params['connector'] ?? '', since, limit, waitMs),
      };
    },
  },
];
