/**
 * What distributed workers say to each other through the group coordinator: join metadata (who I am,
 * where my REST API is, how far I read the config topic, what I run) and the leader's assignment.
 * JSON, under Sluice's own protocol name, so a Java Connect worker in the same group is refused by the
 * coordinator (no common protocol) instead of misreading our bytes.
 */
import type { Assignment } from './incremental-assignor.js';
import type { ConnectorTaskId } from './rest-types.js';

export const PROTOCOL_TYPE = 'connect';
export const PROTOCOL_NAME = 'sluice-cooperative-v1';

export interface MemberMetadata {
  /** REST base URL other workers forward requests to. */
  readonly url: string;
  /** host:port shown as `worker_id` in statuses; stable across restarts. */
  readonly workerId: string;
  readonly configOffset: number;
  readonly owned: Assignment;
}

export interface WorkerAssignment {
  readonly leaderId: string;
  readonly leaderUrl: string;
  readonly configOffset: number;
  readonly assigned: Assignment;
  readonly revoked: Assignment;
  /** When set, the leader will start another round after this many ms (lost items become due). */
  readonly delayMs: number | null;
}

const encode = (value: unknown): Buffer =>
  Buffer.from(JSON.stringify({ version: 1, ...(value as object) }), 'utf8');

function record(buffer: Buffer): Record<string, unknown> {
  const parsed: unknown = JSON.parse(buffer.toString('utf8'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('not a JSON object');
  return parsed as Record<string, unknown>;
}

function decodeAssignmentSets(value: unknown): Assignment {
  const v = (value ?? {}) as { connectors?: unknown; tasks?: unknown };
  const connectors = Array.isArray(v.connectors)
    ? v.connectors.filter((c): c is string => typeof c === 'string')
    : [];
  const tasks = Array.isArray(v.tasks)
    ? v.tasks.filter(
        (t): t is ConnectorTaskId =>
          t !== null &&
          typeof t === 'object' &&
          typeof (t as ConnectorTaskId).connector === 'string' &&
          Number.isInteger((t as ConnectorTaskId).task),
      )
    : [];
  return { connectors, tasks: tasks.map((t) => ({ connector: t.connector, task: t.task })) };
}

export const encodeMetadata = (m: MemberMetadata): Buffer => encode(m);

export function decodeMetadata(buffer: Buffer): MemberMetadata {
  const v = record(buffer);
  return {
    url: String(v['url'] ?? ''),
    workerId: String(v['workerId'] ?? ''),
    configOffset: typeof v['configOffset'] === 'number' ? v['configOffset'] : -1,
    owned: decodeAssignmentSets(v['owned']),
  };
}

export const encodeAssignment = (a: WorkerAssignment): Buffer => encode(a);

export function decodeAssignment(buffer: Buffer): WorkerAssignment {
  const v = record(buffer);
  return {
    leaderId: String(v['leaderId'] ?? ''),
    leaderUrl: String(v['leaderUrl'] ?? ''),
    configOffset: typeof v['configOffset'] === 'number' ? v['configOffset'] : -1,
    assigned: decodeAssignmentSets(v['assigned']),
    revoked: decodeAssignmentSets(v['revoked']),
    delayMs: typeof v['delayMs'] === 'number' ? v['delayMs'] : null,
  };
}
