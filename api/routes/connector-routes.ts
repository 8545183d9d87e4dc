import type { Herder } from '../../runtime/cluster/herder.js';
import { SluiceError } from '../../runtime/errors/sluice-error.js';
import type { RouteSpec } from '../route-spec.js';
import { queryValues } from '../query-params.js';
import {
  connectorLocation,
  initialTargetState,
  stringifyConfig,
  stringifyConfigPatch,
  withConnectorName,
} from '../connector-config-body.js';
import { badRequest, conflict, connectorErrors, serverError } from './responses.js';

interface CreateConnectorBody {
  readonly name?: string | null;
  readonly config: Record<string, string | number | boolean>;
  readonly initial_state?: string | null;
}

/** One connector's requested expansions, or undefined when it vanished while being looked up (Connect skips it). */
async function expandConnector(
  herder: Herder,
  name: string,
  expansions: readonly string[],
): Promise<Record<string, unknown> | undefined> {
  const expanded: Record<string, unknown> = {};
  try {
    for (const expansion of expansions) {
      if (expansion === 'status') expanded['status'] = await herder.connectorStatus(name);
      else if (expansion === 'info') expanded['info'] = await herder.connectorInfo(name);
    }
  } catch (error) {
    if (error instanceof SluiceError && error.code === 'CONNECTOR_NOT_FOUND') return undefined;
    throw error;
  }
  return expanded;
}

export const connectorRoutes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/connectors',
    summary:
      'List active connectors; with ?expand=status and/or ?expand=info, an object keyed by connector name',
    query: [{ name: 'expand', type: 'string', description: 'status or info; may repeat' }],
    responses: {
      200: {
        description: 'Connector names, or expanded connectors when expand is given',
        schema: 'ConnectorNames',
      },
      500: serverError,
    },
    handle: async (herder, request) => {
      const names = await herder.connectors();
      if (request.query['expand'] === undefined) return { status: 200, body: names };
      const expansions = queryValues(request.query['expand']);
      const expanded = await Promise.all(names.map((name) => expandConnector(herder, name, expansions)));
      const body: Record<string, Record<string, unknown>> = {};
      names.forEach((name, index) => {
        const entry = expanded[index];
        if (entry !== undefined) body[name] = entry;
      });
      return { status: 200, body };
    },
  },
  {
    method: 'POST',
    path: '/connectors',
    summary: 'Create a new connector',
    body: 'CreateConnectorRequest',
    responses: {
      201: { description: 'Connector created', schema: 'ConnectorInfo' },
      400: badRequest,
      409: {
        description: 'A connector with this name already exists, or a rebalance is in progress',
        schema: 'ErrorMessage',
      },
      500: serverError,
    },
    handle: async (herder, request) => {
      const body = request.body as CreateConnectorBody;
      // Connect trims the name and leaves rejecting an empty one to config validation.
      const name = (body.name ?? '').trim();
      const config = withConnectorName(name, stringifyConfig(body.config));
      const initialState = initialTargetState(body.initial_state);
      const options =
        initialState === undefined ? { allowReplace: false } : { allowReplace: false, initialState };
      const result = await herder.putConnectorConfig(name, config, options);
      return { status: 201, body: result.info, headers: { location: connectorLocation(name) } };
    },
  },
  {
    method: 'GET',
    path: '/connectors/{connector}',
    summary: 'Get the details for the specified connector',
    responses: { 200: { description: 'Connector info', schema: 'ConnectorInfo' }, ...connectorErrors },
    handle: async (herder, request) => ({
      status: 200,
      body: await herder.connectorInfo(request.params['connector'] ?? ''),
    }),
  },
  {
    method: 'DELETE',
    path: '/connectors/{connector}',
    summary: 'Delete the specified connector',
    responses: { 204: { description: 'Connector deleted' }, ...connectorErrors },
    handle: async (herder, request) => {
      await herder.deleteConnector(request.params['connector'] ?? '');
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/connectors/{connector}/config',
    summary: 'Get the configuration for the specified connector',
    responses: {
      200: { description: 'The connector configuration', schema: 'ConnectorConfig' },
      ...connectorErrors,
    },
    handle: async (herder, request) => ({
      status: 200,
      body: await herder.connectorConfig(request.params['connector'] ?? ''),
    }),
  },
  {
    method: 'PUT',
    path: '/connectors/{connector}/config',
    summary: 'Create or reconfigure the specified connector',
    body: 'ConnectorConfigRequest',
    responses: {
      200: { description: 'Connector reconfigured', schema: 'ConnectorInfo' },
      201: { description: 'Connector created', schema: 'ConnectorInfo' },
      400: badRequest,
      409: conflict,
      500: serverError,
    },
    handle: async (herder, request) => {
      const name = request.params['connector'] ?? '';
      const config = withConnectorName(
        name,
        stringifyConfig(request.body as Record<string, string | number | boolean>),
      );
      const result = await herder.putConnectorConfig(name, config, { allowReplace: true });
      return result.created
        ? { status: 201, body: result.info, headers: { location: connectorLocation(name) } }
        : { status: 200, body: result.info };
    },
  },
  {
    method: 'PATCH',
    path: '/connectors/{connector}/config',
    summary: 'Patch the configuration of the specified connector; a null value removes the key',
    body: 'ConnectorConfigPatchRequest',
    responses: {
      200: { description: 'Connector reconfigured', schema: 'ConnectorInfo' },
      400: badRequest,
      ...connectorErrors,
    },
    handle: async (herder, request) => {
      const name = request.params['connector'] ?? '';
      const patch = stringifyConfigPatch(request.body as Record<string, string | number | boolean | null>);
      // A patch may not rename the connector: the same rule as PUT, but an absent name is left absent.
      const patchedName = patch['name'];
      if (typeof patchedName === 'string') withConnectorName(name, { name: patchedName });
      return { status: 200, body: await herder.patchConnectorConfig(name, patch) };
    },
  },
];
