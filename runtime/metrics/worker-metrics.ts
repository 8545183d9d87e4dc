import type { ConnectorStateName, ConnectorTaskId } from '../cluster/rest-types.js';
import { taskKey } from '../cluster/connector-task-key.js';
import type { PluginFamilyGate } from './plugin-metrics.js';
import { TaskMetrics } from './task-metrics.js';

/** One group round as the worker applied it (distributed mode). */
export interface RebalanceRound {
  readonly generation: number;
  readonly isLeader: boolean;
  /** What the round left this worker with, and what it took away; absent when not known. */
  readonly assignment?: {
    readonly leaderUrl: string;
    readonly connectors: number;
    readonly tasks: number;
    readonly revokedConnectors: number;
    readonly revokedTasks: number;
    /** ms until the leader's next scheduled round (workers that left get that long to come back). */
    readonly delayMs: number | null;
  };
}

/** A rebalance as `GET /metrics/history` shows it (docs/metrics.md). */
export interface RebalanceRecord {
  /** epoch ms when this worker had applied the round. */
  readonly at: number;
  readonly generation: number;
  readonly leader: boolean;
  readonly leader_url: string | null;
  readonly connectors: number | null;
  readonly tasks: number | null;
  readonly revoked_connectors: number | null;
  readonly revoked_tasks: number | null;
  readonly delay_ms: number | null;
}

/** Rebalances kept per worker: enough for the console's cluster page, a few KB at most. */
const REBALANCES_KEPT = 20;

/**
 * What one worker counts: its connectors and tasks (each task's TaskMetrics lives from start until the task
 * is removed), start attempts and, in distributed mode, rebalances. Plain numbers, no metrics library:
 * runtime/metrics/prometheus-metrics.ts reads them when /metrics is scraped.
 */
export class WorkerMetrics {
  private readonly taskMetrics = new Map<string, TaskMetrics>();
  private readonly connectorStates = new Map<string, () => ConnectorStateName | undefined>();
  connectorStartupAttempts = 0;
  connectorStartupSuccesses = 0;
  connectorStartupFailures = 0;
  taskStartupAttempts = 0;
  taskStartupSuccesses = 0;
  taskStartupFailures = 0;
  completedRebalances = 0;
  /** epoch ms of the last applied rebalance; null before the first (and always in standalone mode). */
  lastRebalanceAt: number | null = null;
  generation = -1;
  isLeader = false;
  private readonly recentRebalances: RebalanceRecord[] = [];

  constructor(
    readonly now: () => number = Date.now,
    private readonly onFirstRebalance: () => void = () => undefined,
    private readonly pluginFamilies: PluginFamilyGate = () => undefined,
  ) {}

  /** Starts counting for a task (replacing any earlier metrics of the same id). */
  addTask(id: ConnectorTaskId): TaskMetrics {
    const metrics = new TaskMetrics(id, this.now, this.pluginFamilies);
    this.taskMetrics.set(taskKey(id), metrics);
    return metrics;
  }

  /** The task was removed from this worker: its series disappear from /metrics. */
  removeTask(id: ConnectorTaskId): void {
    this.taskMetrics.delete(taskKey(id));
  }

  tasks(): IterableIterator<TaskMetrics> {
    return this.taskMetrics.values();
  }

  addConnector(name: string, state: () => ConnectorStateName | undefined): void {
    this.connectorStates.set(name, state);
  }

  removeConnector(name: string): void {
    this.connectorStates.delete(name);
  }

  connectors(): Array<{ readonly name: string; readonly state: ConnectorStateName | undefined }> {
    return [...this.connectorStates].map(([name, state]) => ({ name, state: state() }));
  }

  recordConnectorStartup(succeeded: boolean): void {
    this.connectorStartupAttempts++;
    if (succeeded) this.connectorStartupSuccesses++;
    else this.connectorStartupFailures++;
  }

  recordTaskStartup(succeeded: boolean): void {
    this.taskStartupAttempts++;
    if (succeeded) this.taskStartupSuccesses++;
    else this.taskStartupFailures++;
  }

  recordRebalance(round: RebalanceRound): void {
    if (this.completedRebalances === 0) this.onFirstRebalance();
    this.completedRebalances++;
    this.lastRebalanceAt = this.now();
    this.generation = round.generation;
    this.isLeader = round.isLeader;
    const a = round.assignment;
    this.recentRebalances.push({
      at: this.lastRebalanceAt,
      generation: round.generation,
      leader: round.isLeader,
      leader_url: a?.leaderUrl ?? null,
      connectors: a?.connectors ?? null,
      tasks: a?.tasks ?? null,
      revoked_connectors: a?.revokedConnectors ?? null,
      revoked_tasks: a?.revokedTasks ?? null,
      delay_ms: a?.delayMs ?? null,
    });
    if (this.recentRebalances.length > REBALANCES_KEPT) this.recentRebalances.shift();
  }

  /** The last rebalances this worker applied, oldest first. */
  rebalances(): readonly RebalanceRecord[] {
    return this.recentRebalances;
  }
}
