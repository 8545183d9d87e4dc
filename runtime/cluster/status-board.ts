import type { ConnectorStateEntry, ConnectorStateInfo, ConnectorType, TaskStateEntry } from './rest-types.js';

interface ConnectorStatus {
  connector: ConnectorStateEntry;
  tasks: Map<number, TaskStateEntry>;
}

/** Latest known state of every connector and task, and the topics they used (Connect's MemoryStatusBackingStore). */
export class StatusBoard {
  private readonly statuses = new Map<string, ConnectorStatus>();
  /** Connector → the topics its tasks used (GET /connectors/{c}/topics). */
  private readonly topics = new Map<string, Set<string>>();

  private entry(connector: string, workerId: string): ConnectorStatus {
    let status = this.statuses.get(connector);
    if (status === undefined) {
      status = { connector: { state: 'UNASSIGNED', worker_id: workerId }, tasks: new Map() };
      this.statuses.set(connector, status);
    }
    return status;
  }

  /**
   * A state reported without a version (RESTARTING, STOPPED: the herder's own events, with no plugin at
   * hand) keeps the version last reported, as Connect's statuses always carry it.
   */
  putConnector(connector: string, entry: ConnectorStateEntry): void {
    const status = this.entry(connector, entry.worker_id);
    const version = entry.version ?? status.connector?.version;
    status.connector = version === undefined ? entry : { ...entry, version };
  }

  putTask(connector: string, entry: TaskStateEntry): void {
    const status = this.entry(connector, entry.worker_id);
    const version = entry.version ?? status.tasks.get(entry.id)?.version;
    status.tasks.set(entry.id, version === undefined ? entry : { ...entry, version });
  }

  /** Forget tasks numbered >= count (after a reconfiguration shrank the task list). */
  trimTasks(connector: string, count: number): void {
    const status = this.statuses.get(connector);
    if (status) for (const id of [...status.tasks.keys()]) if (id >= count) status.tasks.delete(id);
  }

  remove(connector: string): void {
    this.statuses.delete(connector);
  }

  putTopic(connector: string, topic: string): void {
    let topics = this.topics.get(connector);
    if (topics === undefined) this.topics.set(connector, (topics = new Set()));
    topics.add(topic);
  }

  activeTopics(connector: string): string[] {
    return [...(this.topics.get(connector) ?? [])].sort();
  }

  resetTopics(connector: string): void {
    this.topics.delete(connector);
  }

  task(connector: string, task: number): TaskStateEntry | undefined {
    return this.statuses.get(connector)?.tasks.get(task);
  }

  connectorState(connector: string): ConnectorStateEntry | undefined {
    return this.statuses.get(connector)?.connector;
  }

  info(name: string, type: ConnectorType, workerId: string): ConnectorStateInfo {
    const status = this.entry(name, workerId);
    return {
      name,
      connector: status.connector,
      tasks: [...status.tasks.values()].sort((a, b) => a.id - b.id),
      type,
    };
  }
}
