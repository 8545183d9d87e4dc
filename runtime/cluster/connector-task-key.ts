import type { ConnectorTaskId } from './rest-types.js';

/** A map key for a connector's task, unambiguous whatever characters the connector's name holds. */
export const taskKey = (id: ConnectorTaskId): string => JSON.stringify([id.connector, id.task]);

/** The task a taskKey() names. */
export function parseTaskKey(key: string): ConnectorTaskId {
  const [connector, task] = JSON.parse(key) as [string, number];
  return { connector, task };
}
