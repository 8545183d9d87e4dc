import type { ConnectorStateEntry, ConnectorStateInfo, ConnectorType, TaskStateEntry } from './rest-types.js';

interface ConnectorStatus {
  connector: ConnectorStateEntry;
  tasks: Map<number, TaskStateEntry>;
}

/** Latest known state of every connector and task (Connect's StatusBackingStore, in memory). */
export class StatusBoard {
  private readonly statuses = new Map<string, ConnectorStatus>();

  private entry(connector: string, workerId: string): ConnectorStatus {
    let status = this.statuses.get(connector);
    if (status === undefined) {
      status = { connector: { state: 'UNASSIGNED', worker_id: workerId }, tasks: new Map() };
      this.statuses.set(connector, status);
    }
    return status;
  }

  putConnector(connector: string, entry: ConnectorStateEntry): void {
    this.entry(connector, entry.worker_id).connector = entry;
  }

  putTask(connector: string, entry: TaskStateEntry): void {
    this.entry(connector, entry.worker_id).tasks.set(entry.id, entry);
  }

  /** Forget tasks numbered >= count (after a reconfiguration shrank the task list). */
  trimTasks(connector: string, count: number): void {
    const status = this.statuses.get(connector);
    if (status) for (const id of [...status.tasks.keys()]) if (id >= count) status.tasks.delete(id);
  }

  remove(connector: string): void {
    this.statuses.delete(connector);
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
