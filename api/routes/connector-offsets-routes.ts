import type { RouteSpec } from '../route-spec.js';
import type { ConnectorOffsets } from '../../runtime/cluster/rest-types.js';
import { SluiceError } from '../../runtime/errors/sluice-error.js';
import { connectorErrors } from './responses.js';

interface OffsetsBody {
  readonly offsets?: ConnectorOffsets['offsets'] | null;
}

const offsetsErrors = {
  400: { description: 'Invalid offsets, or the connector is not STOPPED', schema: 'ErrorMessage' },
  ...connectorErrors,
} as const;

export const connectorOffsetsRoutes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/connectors/{connector}/topics',
    summary: 'Get the topics the specified connector has used since it was created or its topics were reset',
    responses: {
      200: { description: 'Active topics keyed by connector name', schema: 'ActiveTopics' },
      403: {
        description: 'Topic tracking is disabled (topic.tracking.enable=false)',
        schema: 'ErrorMessage',
      },
      ...connectorErrors,
    },
    handle: async (herder, request) => ({
      status: 200,
      body: await herder.connectorActiveTopics(request.params['connector'] ?? ''),
    }),
  },
  {
    method: 'PUT',
    path: '/connectors/{connector}/topics/reset',
    summary: 'Reset the set of topics the specified connector has used',
    responses: {
      202: { description: 'Active topics reset' },
      403: {
        description:
          'Topic tracking or its reset is disabled (topic.tracking.enable, topic.tracking.allow.reset)',
        schema: 'ErrorMessage',
      },
      ...connectorErrors,
    },
    handle: async (herder, request) => {
      await herder.resetConnectorActiveTopics(request.params['connector'] ?? '');
      return { status: 202 };
    },
  },
  {
    method: 'GET',
    path: '/connectors/{connector}/offsets',
    summary: 'Get the current offsets of the specified connector',
    responses: {
      200: { description: 'Offsets per partition', schema: 'ConnectorOffsets' },
      ...connectorErrors,
    },
    handle: async (herder, request) => ({
      status: 200,
      body: await herder.connectorOffsets(request.params['connector'] ?? ''),
    }),
  },
  {
    method: 'PATCH',
    path: '/connectors/{connector}/offsets',
    summary: 'Alter the offsets of the specified (STOPPED) connector; a null offset resets that partition',
    body: 'AlterOffsetsRequest',
    responses: { 200: { description: 'Offsets altered', schema: 'Message' }, ...offsetsErrors },
    handle: async (herder, request) => {
      const offsets = (request.body as OffsetsBody).offsets;
      if (offsets === undefined || offsets === null || offsets.length === 0) {
        throw new SluiceError('INVALID_REQUEST', [
          'Partitions / offsets need to be provided for an alter offsets request',
        ]);
      }
      const normalized = offsets.map((entry) => ({
        partition: entry.partition,
        offset: entry.offset ?? null,
      }));
      return {
        status: 200,
        body: await herder.alterConnectorOffsets(request.params['connector'] ?? '', { offsets: normalized }),
      };
    },
  },
  {
    method: 'DELETE',
    path: '/connectors/{connector}/offsets',
    summary: 'Reset (delete) all offsets of the specified (STOPPED) connector',
    responses: { 200: { description: 'Offsets reset', schema: 'Message' }, ...offsetsErrors },
    handle: async (herder, request) => ({
      status: 200,
      body: await herder.resetConnectorOffsets(request.params['connector'] ?? ''),
    }),
  },
];
