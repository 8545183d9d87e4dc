import type { ConnectorTaskId } from '../cluster/rest-types.js';

/**
 * The client.id Connect's Worker gives a task's Kafka clients (`connector-producer-<connector>-<task>`,
 * `connector-consumer-…`, `connector-adminclient-…`, `connector-dlq-producer-…`), so quotas, ACL logs and
 * group tooling see the same names. A `client.id` in the client's overrides still wins, as in Connect.
 */
export function taskClientId(
  kind: 'producer' | 'consumer' | 'adminclient' | 'dlq-producer',
  id: ConnectorTaskId,
): string {
  return `connector-${kind}-${id.connector}-${id.task}`;
}

/** Connect names the dead letter queue's admin client by this prefix alone, without the task (Worker.sinkTaskReporters). */
export const DLQ_ADMIN_CLIENT_ID = 'connector-dlq-adminclient-';
