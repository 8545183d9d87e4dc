import type { ConnectorStateEntry, TaskStateEntry } from '../cluster/rest-types.js';

/** A status as stored: the entry plus the group generation of the worker that wrote it. */
export interface GenerationalStatus<T extends ConnectorStateEntry> {
  readonly entry: T;
  readonly generation: number;
}

/** Connect's TopicStatus (KIP-558): a topic a connector's task first produced to or consumed from, and when. */
export interface TopicStatus {
  readonly topic: string;
  readonly connector: string;
  readonly task: number;
  /** Epoch ms. */
  readonly discoverTimestamp: number;
}

/**
 * Connector and task statuses of the whole cluster (Connect's StatusBackingStore). Writes of "going
 * away" states (UNASSIGNED, STOPPED, FAILED) are guarded: they never replace a status another worker
 * wrote in a newer generation, so a worker that lost a task cannot hide the new owner's status.
 */
export interface StatusStore {
  start(): Promise<void>;
  /** Resolves once every status written before the call is visible here. */
  readToEnd(): Promise<void>;
  putConnector(connector: string, entry: ConnectorStateEntry, generation: number): Promise<void>;
  putTask(connector: string, entry: TaskStateEntry, generation: number): Promise<void>;
  connector(connector: string): ConnectorStateEntry | undefined;
  tasks(connector: string): TaskStateEntry[];
  task(connector: string, task: number): TaskStateEntry | undefined;
  /** Tombstones for the connector's status and the given task statuses. */
  remove(connector: string, taskCount: number): Promise<void>;
  /** Tombstones for task statuses numbered >= count (after a reconfiguration shrank the task list). */
  trimTasks(connector: string, count: number): Promise<void>;
  /** Records a topic the connector used; a topic already recorded (by any worker) is not written again. */
  putTopic(status: TopicStatus): Promise<void>;
  /** The topics recorded for the connector, by name. */
  topics(connector: string): TopicStatus[];
  /** Tombstones the connector's topic records (PUT /connectors/{c}/topics/reset). */
  resetTopics(connector: string): Promise<void>;
  stop(): Promise<void>;
}

const GOING_AWAY = new Set(['UNASSIGNED', 'STOPPED', 'FAILED']);

/** Connect's CacheEntry.canWriteSafely: may `next` replace `current`? */
export function mayReplace<T extends ConnectorStateEntry>(
  current: GenerationalStatus<T> | undefined,
  next: GenerationalStatus<T>,
): boolean {
  if (current === undefined || !GOING_AWAY.has(next.entry.state)) return true;
  return current.entry.worker_id === next.entry.worker_id || current.generation <= next.generation;
}
