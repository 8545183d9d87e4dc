import type { ConnectorStateEntry, ConnectorStateName, TaskStateEntry } from '../cluster/rest-types.js';
import { parseStatusKey, StatusKeys } from './connect-record-keys.js';
import { jsonBytes, parseJsonObject, type KafkaLog, type LogEntry } from './kafka-log.js';
import { mayReplace, type GenerationalStatus, type StatusStore, type TopicStatus } from './status-store.js';

const STATES = new Set<string>(['UNASSIGNED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'RESTARTING']);

interface ConnectorStatuses {
  connector?: GenerationalStatus<ConnectorStateEntry>;
  readonly tasks: Map<number, GenerationalStatus<TaskStateEntry>>;
}

/** Connect's status value: `{"state","trace","worker_id","version","generation"}` (version since Connect 4.1). */
function statusValue(entry: ConnectorStateEntry, generation: number): Buffer {
  return jsonBytes({
    state: entry.state,
    trace: entry.trace ?? null,
    worker_id: entry.worker_id,
    version: entry.version ?? null,
    generation,
  });
}

function parseStatus(
  value: Buffer | null,
):
  | { state: ConnectorStateName; trace?: string; worker_id: string; version?: string; generation: number }
  | undefined {
  const v = parseJsonObject(value);
  if (
    v === undefined ||
    typeof v['state'] !== 'string' ||
    !STATES.has(v['state']) ||
    typeof v['worker_id'] !== 'string'
  )
    return undefined;
  return {
    state: v['state'] as ConnectorStateName,
    worker_id: v['worker_id'],
    generation: typeof v['generation'] === 'number' ? v['generation'] : -1,
    ...(typeof v['trace'] === 'string' ? { trace: v['trace'] } : {}),
    ...(typeof v['version'] === 'string' ? { version: v['version'] } : {}),
  };
}

/** Connect's topic status value: `{"topic":{"name","connector","task","discoverTimestamp"}}`. */
function topicValue(status: TopicStatus): Buffer {
  return jsonBytes({
    topic: {
      name: status.topic,
      connector: status.connector,
      task: status.task,
      discoverTimestamp: status.discoverTimestamp,
    },
  });
}

function parseTopicStatus(value: Buffer | null): TopicStatus | undefined {
  const inner = parseJsonObject(value)?.['topic'];
  if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return undefined;
  const t = inner as Record<string, unknown>;
  if (
    typeof t['name'] !== 'string' ||
    typeof t['connector'] !== 'string' ||
    typeof t['task'] !== 'number' ||
    typeof t['discoverTimestamp'] !== 'number'
  )
    return undefined;
  return {
    topic: t['name'],
    connector: t['connector'],
    task: t['task'],
    discoverTimestamp: t['discoverTimestamp'],
  };
}

/** Statuses in the compacted status topic, in Connect's key and value formats. */
export class KafkaStatusStore implements StatusStore {
  private readonly statuses = new Map<string, ConnectorStatuses>();
  /** Connector → topic → the topic's record (kept apart from statuses: a deleted connector's topics stay, as in Connect). */
  private readonly activeTopics = new Map<string, Map<string, TopicStatus>>();
  /** Keeps this worker's status writes in the order its tasks changed state. */
  private writeChain: Promise<void> = Promise.resolve();

  constructor(private readonly log: KafkaLog) {}

  private send(records: { key: string; value: Buffer | null }[]): Promise<void> {
    const result = this.writeChain.then(() => this.log.send(records));
    this.writeChain = result.catch(() => undefined);
    return result;
  }

  start(): Promise<void> {
    return this.log.start((entry) => this.apply(entry));
  }

  readToEnd(): Promise<void> {
    return this.log.readToEnd();
  }

  private entry(connector: string): ConnectorStatuses {
    let s = this.statuses.get(connector);
    if (s === undefined) this.statuses.set(connector, (s = { tasks: new Map() }));
    return s;
  }

  private apply(record: LogEntry): void {
    if (record.key === null) return;
    const key = parseStatusKey(record.key);
    if (key.kind === 'unknown') return;
    if (key.kind === 'topic') {
      if (record.value === null) return void this.activeTopics.get(key.connector)?.delete(key.topic);
      const topic = parseTopicStatus(record.value);
      if (topic !== undefined) this.topicsOf(key.connector).set(key.topic, topic);
      return;
    }
    const status = parseStatus(record.value);
    if (key.kind === 'connector') {
      if (record.value === null) return void this.statuses.delete(key.connector);
      if (status === undefined) return;
      const { generation, ...entry } = status;
      this.setConnector(key.connector, { entry, generation });
    } else {
      if (record.value === null) return void this.statuses.get(key.connector)?.tasks.delete(key.task);
      if (status === undefined) return;
      const { generation, ...entry } = status;
      this.setTask(key.connector, { entry: { id: key.task, ...entry }, generation });
    }
  }

  private setConnector(connector: string, next: GenerationalStatus<ConnectorStateEntry>): boolean {
    const s = this.entry(connector);
    if (!mayReplace(s.connector, next)) return false;
    s.connector = next;
    return true;
  }

  private setTask(connector: string, next: GenerationalStatus<TaskStateEntry>): boolean {
    const s = this.entry(connector);
    if (!mayReplace(s.tasks.get(next.entry.id), next)) return false;
    s.tasks.set(next.entry.id, next);
    return true;
  }

  putConnector(connector: string, entry: ConnectorStateEntry, generation: number): Promise<void> {
    if (!this.setConnector(connector, { entry, generation })) return Promise.resolve();
    return this.send([{ key: StatusKeys.connector(connector), value: statusValue(entry, generation) }]);
  }

  putTask(connector: string, entry: TaskStateEntry, generation: number): Promise<void> {
    if (!this.setTask(connector, { entry, generation })) return Promise.resolve();
    const { id, ...rest } = entry;
    return this.send([{ key: StatusKeys.task(connector, id), value: statusValue(rest, generation) }]);
  }

  connector(connector: string): ConnectorStateEntry | undefined {
    return this.statuses.get(connector)?.connector?.entry;
  }

  tasks(connector: string): TaskStateEntry[] {
    return [...(this.statuses.get(connector)?.tasks.values() ?? [])]
      .map((s) => s.entry)
      .sort((a, b) => a.id - b.id);
  }

  task(connector: string, task: number): TaskStateEntry | undefined {
    return this.statuses.get(connector)?.tasks.get(task)?.entry;
  }

  remove(connector: string, taskCount: number): Promise<void> {
    const known = [...(this.statuses.get(connector)?.tasks.keys() ?? [])];
    const count = Math.max(taskCount, ...known.map((t) => t + 1));
    this.statuses.delete(connector);
    const records = [{ key: StatusKeys.connector(connector), value: null }];
    for (let t = 0; t < count; t++) records.push({ key: StatusKeys.task(connector, t), value: null });
    return this.send(records);
  }

  trimTasks(connector: string, count: number): Promise<void> {
    const s = this.statuses.get(connector);
    const extra = [...(s?.tasks.keys() ?? [])].filter((t) => t >= count);
    if (extra.length === 0) return Promise.resolve();
    for (const t of extra) s?.tasks.delete(t);
    return this.send(extra.map((t) => ({ key: StatusKeys.task(connector, t), value: null })));
  }

  private topicsOf(connector: string): Map<string, TopicStatus> {
    let topics = this.activeTopics.get(connector);
    if (topics === undefined) this.activeTopics.set(connector, (topics = new Map()));
    return topics;
  }

  putTopic(status: TopicStatus): Promise<void> {
    const topics = this.topicsOf(status.connector);
    if (topics.has(status.topic)) return Promise.resolve();
    topics.set(status.topic, status);
    return this.send([{ key: StatusKeys.topic(status.topic, status.connector), value: topicValue(status) }]);
  }

  topics(connector: string): TopicStatus[] {
    return [...(this.activeTopics.get(connector)?.values() ?? [])].sort((a, b) =>
      a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0,
    );
  }

  resetTopics(connector: string): Promise<void> {
    const topics = [...(this.activeTopics.get(connector)?.keys() ?? [])];
    this.activeTopics.delete(connector);
    if (topics.length === 0) return Promise.resolve();
    return this.send(topics.map((topic) => ({ key: StatusKeys.topic(topic, connector), value: null })));
  }

  async stop(): Promise<void> {
    await this.writeChain;
    await this.log.stop();
  }
}
