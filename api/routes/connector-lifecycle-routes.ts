import type { RouteSpec } from '../route-spec.js';
import type { ConnectorTaskId } from '../../runtime/cluster/rest-types.js';
import { SluiceError } from '../../runtime/errors/sluice-error.js';
import { queryBoolean } from '../query-params.js';
import { connectorErrors } from './responses.js';

/** Connect binds `{task}` to an Integer; a path that is not one matches no resource, hence 404. */
function taskIdOf(params: Readonly<Record<string, string>>): ConnectorTaskId {
  const task = params['task'] ?? '';
  if (!/^-?\d{1,10}$/.test(task)) throw new SluiceError('ROUTE_NOT_FOUND');
  return { connector: params['connector'] ?? '', task: Number(task) };
}

const taskErrors = {
  ...connectorErrors,
  404: { description: 'Connector or task not found', schema: 'ErrorMessage' },
} as const;

export const connectorLifecycleRoutes: readonly RouteSpec[] = [
  {
    method: 'GET',
    path: '/connectors/{connector}/status',
    summary: 'Get the status for the specified connector and its tasks',
    responses: { 200: { description: 'Connector status', schema: 'ConnectorStateInfo' }, ...connectorErrors },
    handle: async (herder, request) => ({
      status: 200,
      body: await herder.connectorStatus(request.params['connector'] ?? ''),
    }),
  },
  {
    method: 'POST',
    path: '/connectors/{connector}/restart',
    summary: 'Restart the specified connector, and optionally its (failed) tasks',
    query: [
      { name: 'includeTasks', type: 'boolean', description: 'Whether to also restart tasks (default false)' },
      {
        name: 'onlyFailed',
        type: 'boolean',
        description: 'Whether to only restart failed connectors/tasks (default false)',
      },
    ],
    responses: {
      202: {
        description: 'Restart scheduled; the body is the status at that moment',
        schema: 'ConnectorStateInfo',
      },
      204: { description: 'Connector restarted (includeTasks and onlyFailed both false)' },
      ...connectorErrors,
    },
    handle: async (herder, request) => {
      const includeTasks = queryBoolean(request.query['includeTasks'], false);
      const onlyFailed = queryBoolean(request.query['onlyFailed'], false);
      const status = await herder.restartConnector(request.params['connector'] ?? '', {
        includeTasks,
        onlyFailed,
      });
      // Connect keeps the old bodiless answer when only the connector instance restarts.
      if (!includeTasks && !onlyFailed) return { status: 204 };
      return status === null ? { status: 202 } : { status: 202, body: status };
    },
  },
  {
    method: 'PUT',
    path: '/connectors/{connector}/pause',
    summary: 'Pause the specified connector and its tasks; idempotent',
    responses: { 202: { description: 'Pause requested' }, ...connectorErrors },
    handle: async (herder, request) => {
      await herder.pauseConnector(request.params['connector'] ?? '');
      return { status: 202 };
    },
  },
  {
    method: 'PUT',
    path: '/connectors/{connector}/resume',
    summary: 'Resume the specified connector and its tasks; idempotent',
    responses: { 202: { description: 'Resume requested' }, ...connectorErrors },
    handle: async (herder, request) => {
      await herder.resumeConnector(request.params['connector'] ?? '');
      return { status: 202 };
    },
  },
  {
    method: 'PUT',
    path: '/connectors/{connector}/stop',
    summary: 'Stop the specified connector and shut its tasks down; idempotent',
    responses: { 204: { description: 'Connector stopped' }, ...connectorErrors },
    handle: async (herder, request) => {
      await herder.stopConnector(request.params['connector'] ?? '');
      return { status: 204 };
    },
  },
  {
    method: 'GET',
    path: '/connectors/{connector}/tasks',
    summary: 'List the tasks of the specified connector with their configurations',
    responses: {
      200: { description: 'Task ids and configurations', schema: 'TaskInfos' },
      ...connectorErrors,
    },
    handle: async (herder, request) => ({
      status: 200,
      body: await herder.taskConfigs(request.params['connector'] ?? ''),
    }),
  },
  {
    method: 'GET',
    path: '/connectors/{connector}/tasks/{task}/status',
    summary: 'Get the status of the specified task',
    responses: { 200: { description: 'Task status', schema: 'TaskState' }, ...taskErrors },
    handle: async (herder, request) => ({
      status: 200,
      body: await herder.taskStatus(taskIdOf(request.params)),
    }),
  },
  {
    method: 'POST',
    path: '/connectors/{connector}/tasks/{task}/restart',
    summary: 'Restart the specified task',
    responses: { 204: { description: 'Task restarted' }, ...taskErrors },
    handle: async (herder, request) => {
      await herder.restartTask(taskIdOf(request.params));
      return { status: 204 };
    },
  },
];
