import type { RouteSpec } from '../route-spec.js';
import { SluiceError } from '../../runtime/errors/sluice-error.js';
import { queryBoolean } from '../query-params.js';
import { stringifyConfig } from '../connector-config-body.js';
import { badRequest, serverError } from './responses.js';

const aliasSuffix = 'Connector';

/** `FileStreamSinkConnector` and `FileStreamSink` name the same plugin, as in Connect. */
function withoutAliasSuffix(pluginName: string): string {
  return pluginName.endsWith(aliasSuffix) && pluginName.length > aliasSuffix.length
    ? pluginName.slice(0, -aliasSuffix.length)
    : pluginName;
}

const pluginNotFound = { description: 'No plugin with that name', schema: 'ErrorMessage' } as const;

export const pluginRoutes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/connector-plugins',
    summary: 'List installed plugins; only connectors unless connectorsOnly=false',
    query: [
      {
        name: 'connectorsOnly',
        type: 'boolean',
        description: 'Whether to list only connectors (default true)',
      },
    ],
    responses: { 200: { description: 'Installed plugins', schema: 'PluginInfos' }, 500: serverError },
    handle: async (herder, request) => ({
      status: 200,
      body: herder.connectorPlugins(queryBoolean(request.query['connectorsOnly'], true)),
    }),
  },
  {
    method: 'GET',
    path: '/connector-plugins/{plugin}/config',
    summary: 'Get the configuration definition of the specified plugin',
    responses: {
      200: { description: 'Configuration keys', schema: 'ConfigKeyInfos' },
      404: pluginNotFound,
      500: serverError,
    },
    handle: async (herder, request) => ({
      status: 200,
      body: herder.connectorPluginConfig(request.params['plugin'] ?? ''),
    }),
  },
  {
    method: 'PUT',
    path: '/connector-plugins/{plugin}/config/validate',
    summary:
      'Validate a connector configuration against the configuration definition of the specified plugin',
    body: 'ConnectorConfigRequest',
    responses: {
      200: { description: 'Validation result per key', schema: 'ConfigInfos' },
      400: badRequest,
      404: pluginNotFound,
      500: serverError,
    },
    handle: async (herder, request) => {
      const pluginName = request.params['plugin'] ?? '';
      const config = stringifyConfig(request.body as Record<string, string | number | boolean>);
      const includedClass = config['connector.class'];
      if (
        includedClass !== undefined &&
        !withoutAliasSuffix(includedClass).endsWith(withoutAliasSuffix(pluginName))
      ) {
        throw new SluiceError('INVALID_REQUEST', [
          `Included connector type ${includedClass} does not match request type ${pluginName}`,
        ]);
      }
      return { status: 200, body: await herder.validateConnectorConfig(pluginName, config) };
    },
  },
];
