import type { Logger } from '../api/logger.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { ClusterConfigStore, ConfigChange, RestartRequest } from '../storage/cluster-config-store.js';
import type { StatusStore } from '../storage/status-store.js';
import type { StatusEvent, TopicUsedEvent } from '../worker/worker.js';
import type { WorkerAssignment } from './group-protocol.js';
import type { Herder } from './herder.js';
import { HerderBase, type HerderDependencies } from './herder-base.js';
import { taskKey } from './connector-task-key.js';
import type { Assignment } from './incremental-assignor.js';
import { LeaderClient, type ForwardingOptions } from './leader-client.js';
import type {
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  ConnectorTaskId,
  HealthInfo,
  PutConfigResult,
  RestartOptions,
  TargetState,
  TaskStateEntry,
} from './rest-types.js';
import type { DesiredWork, WorkerGroup, WorkerGroupCallbacks } from './worker-group.js';

export interface DistributedHerderDependencies extends HerderDependencies {
  readonly configStore: ClusterConfigStore;
  readonly statusStore: StatusStore;
  readonly logger: Logger;
  /** TLS and request signing for writes forwarded to the leader; plain, unsigned http without. */
  readonly forwarding?: ForwardingOptions;
}

/** What a running task or connector was started from: a change means it must restart. */
interface Started {
  readonly fingerprint: string;
}

const enc = encodeURIComponent;

/**
 * A worker of a distributed cluster. Reads come from this worker's copy of the shared stores; writes run
 * on the leader (forwarded over HTTP from followers). What runs here is decided by the group's
 * assignment: every change (assignment, config, target state, restart) is applied per connector, in that
 * connector's own queue, by comparing what should run here with what does ("reconcile"), so a slow
 * connector never delays REST or other connectors.
 */
export class DistributedHerder
  extends HerderBase<DistributedHerderDependencies>
  implements Herder, WorkerGroupCallbacks
{
  private readonly leader: LeaderClient;
  private group: WorkerGroup | null = null;
  private assigned: Assignment = { connectors: [], tasks: [] };
  private readonly runningConnectors = new Map<string, Started>();
  private readonly runningTasks = new Map<string, Started>();
  private readonly taskStarts = new Map<string, number>();
  private ready = false;
  private stopping = false;

  constructor(deps: DistributedHerderDependencies) {
    super(deps);
    this.leader = new LeaderClient(() => this.group?.leaderUrl ?? null, deps.forwarding);
    deps.configStore.onChange((change) => this.onConfigChange(change));
  }

  attachGroup(group: WorkerGroup): void {
    this.group = group;
  }

  private get generation(): number {
    return this.group?.generation ?? -1;
  }

  private enqueue(name: string, job: () => Promise<void>): Promise<void> {
    return this.queue(name)
      .run(job)
      .catch((error: unknown) => {
        this.deps.logger.error(`connector ${name}: ${String(error)}`, {
          error: String((error as Error).stack ?? error),
        });
      });
  }

  /** Called by the worker for every state change of a connector or task running here. */
  onStatus(event: StatusEvent): void {
    // A deleted connector's statuses were tombstoned by the leader: do not bring them back while stopping it.
    if (this.deps.configStore.connector(event.connector) === undefined) return;
    const entry = {
      state: event.state,
      worker_id: event.workerId,
      ...(event.trace ? { trace: event.trace } : {}),
      ...(event.version ? { version: event.version } : {}),
    };
    const write =
      event.task === null
        ? this.deps.statusStore.putConnector(event.connector, entry, this.generation)
        : this.deps.statusStore.putTask(event.connector, { id: event.task, ...entry }, this.generation);
    write.catch((error: unknown) =>
      this.deps.logger.warn('could not write a status', { error: String(error) }),
    );
  }

  /**
   * Called by the worker for the topics of every batch a task produced or consumed: a topic no worker
   * recorded yet gets Connect's `status-topic-<topic>:connector-<name>` record in the status topic.
   */
  onTopicUsed(event: TopicUsedEvent): void {
    this.deps.statusStore
      .putTopic({
        topic: event.topic,
        connector: event.connector,
        task: event.task,
        discoverTimestamp: event.timestamp,
      })
      .catch((error: unknown) =>
        this.deps.logger.warn('could not record a topic the connector used', { error: String(error) }),
      );
  }

  protected activeTopics(name: string): string[] {
    return this.deps.statusStore.topics(name).map((t) => t.topic);
  }

  /** As Connect: the worker asked writes the tombstones itself; every worker reads them from the status topic. */
  protected resetActiveTopics(name: string): Promise<void> {
    return this.deps.statusStore.resetTopics(name);
  }

  // ---- group callbacks ----

  /**
   * What the group must consider ours: the assignment plus whatever is still running here (e.g. while
   * stopping on shutdown), so the leader never hands a task to another worker before it stopped here.
   */
  owned(): Assignment {
    const connectors = new Set([...this.assigned.connectors, ...this.runningConnectors.keys()]);
    const tasks = new Map(this.assigned.tasks.map((t) => [taskKey(t), t]));
    for (const key of this.runningTasks.keys()) {
      const [connector, task] = JSON.parse(key) as [string, number];
      tasks.set(key, { connector, task });
    }
    return { connectors: [...connectors], tasks: [...tasks.values()] };
  }

  configOffset(): number {
    return this.deps.configStore.position;
  }

  async desired(): Promise<DesiredWork> {
    await this.deps.configStore.readToEnd();
    return this.currentDesired();
  }

  private currentDesired(): DesiredWork {
    const connectors = this.deps.configStore.connectors();
    return {
      connectors: connectors.map((c) => c.name),
      tasks: connectors.flatMap((c) => c.taskConfigs.map((_, task) => ({ connector: c.name, task }))),
    };
  }

  async onAssignment(generation: number, assignment: WorkerAssignment, isLeader: boolean): Promise<void> {
    // Make sure we know every config the leader knew when it assigned.
    if (assignment.configOffset > this.deps.configStore.position) await this.deps.configStore.readToEnd();
    if (this.stopping) return;
    this.assigned = { connectors: assignment.assigned.connectors, tasks: assignment.assigned.tasks };
    this.ready = true;
    const revoked = [
      ...assignment.revoked.connectors,
      ...assignment.revoked.tasks.map((t) => `${t.connector}-${t.task}`),
    ];
    this.deps.logger.info(`assignment for generation ${generation}${isLeader ? ' (leader)' : ''}`, {
      connectors: assignment.assigned.connectors,
      tasks: assignment.assigned.tasks.map((t) => `${t.connector}-${t.task}`),
      revoked,
      delayMs: assignment.delayMs,
    });
    const revokedNames = new Set([
      ...assignment.revoked.connectors,
      ...assignment.revoked.tasks.map((t) => t.connector),
    ]);
    const names = new Set([
      ...this.assigned.connectors,
      ...this.assigned.tasks.map((t) => t.connector),
      ...revokedNames,
      ...this.localConnectorNames(),
    ]);
    // Revocations must be complete before we rejoin; new work starts in the background.
    const revoking: Promise<void>[] = [];
    for (const name of names) {
      const job = this.enqueue(name, () => this.reconcile(name));
      if (revokedNames.has(name)) revoking.push(job);
    }
    await Promise.all(revoking);
  }

  async onMembershipLost(reason: string): Promise<void> {
    this.deps.logger.warn(`stopping all connectors and tasks: ${reason}`);
    this.assigned = { connectors: [], tasks: [] };
    await Promise.all(
      this.localConnectorNames().map((name) => this.enqueue(name, () => this.reconcile(name))),
    );
  }

  private localConnectorNames(): string[] {
    return [
      ...new Set([
        ...this.runningConnectors.keys(),
        ...[...this.runningTasks.keys()].map((k) => (JSON.parse(k) as [string])[0]),
      ]),
    ];
  }

  private onConfigChange(change: ConfigChange): void {
    if (change.kind === 'restart') {
      void this.enqueue(change.request.connector, () => this.restartLocally(change.request));
      return;
    }
    void this.enqueue(change.connector, () => this.reconcile(change.connector));
    this.group?.noteDesired(this.currentDesired());
  }

  // ---- reconcile: make what runs here match the assignment and the stored configs ----

  private async reconcile(name: string): Promise<void> {
    const stored = this.deps.configStore.connector(name);
    const snapshot = this.deps.configStore.taskSnapshot(name);
    const target: TargetState = stored?.targetState ?? 'STOPPED';

    // Tasks first: stop those no longer ours or started from an older config.
    const wantedTasks = new Map<number, string>();
    if (stored !== undefined && snapshot !== undefined && target !== 'STOPPED') {
      for (const id of this.assigned.tasks) {
        const taskConfig = snapshot.taskConfigs[id.task];
        if (id.connector === name && taskConfig !== undefined) {
          wantedTasks.set(id.task, JSON.stringify([snapshot.connectorConfig, taskConfig]));
        }
      }
    }
    for (const id of this.deps.worker.runningTasks(name)) {
      const started = this.runningTasks.get(taskKey(id));
      if (started !== undefined && wantedTasks.get(id.task) === started.fingerprint) continue;
      await this.deps.worker.stopTask(id);
      this.runningTasks.delete(taskKey(id));
    }

    // The connector instance.
    const wantConnector = stored !== undefined && this.assigned.connectors.includes(name);
    const connectorFingerprint =
      stored === undefined ? '' : JSON.stringify([stored.config, target === 'STOPPED']);
    const runningConnector = this.runningConnectors.get(name);
    if (
      runningConnector !== undefined &&
      (!wantConnector || runningConnector.fingerprint !== connectorFingerprint)
    ) {
      await this.deps.worker.stopConnector(name);
      this.runningConnectors.delete(name);
    }
    if (wantConnector && stored !== undefined && !this.runningConnectors.has(name)) {
      this.runningConnectors.set(name, { fingerprint: connectorFingerprint });
      const started = await this.deps.worker.startConnector(name, stored.config, target, () => {
        void this.enqueue(name, () => this.publishTaskConfigs(name));
      });
      if (started) await this.publishTaskConfigs(name);
    }
    if (target !== 'STOPPED') this.deps.worker.setTargetState(name, target);

    // Start the tasks that are ours and not running.
    if (stored === undefined || snapshot === undefined) return;
    for (const [task, fingerprint] of wantedTasks) {
      const key = taskKey({ connector: name, task });
      if (this.runningTasks.has(key)) continue;
      this.runningTasks.set(key, { fingerprint });
      const starts = (this.taskStarts.get(key) ?? 0) + 1;
      this.taskStarts.set(key, starts);
      // Operators (and the tests) can tell a task that kept running from one that was restarted.
      this.deps.logger.info(`starting task ${name}-${task} (start #${starts} on this worker)`, {
        connector: name,
        task,
        starts,
      });
      await this.deps.worker.startTask(
        { connector: name, task },
        snapshot.connectorConfig,
        snapshot.taskConfigs[task]!,
        target,
      );
    }
  }

  /** Connector owner: write the task configs when they (or the connector config behind them) changed. */
  private async publishTaskConfigs(name: string): Promise<void> {
    const stored = this.deps.configStore.connector(name);
    if (stored === undefined || stored.targetState === 'STOPPED') return;
    if (!this.assigned.connectors.includes(name)) return;
    const state = this.deps.worker.connectorState(name);
    if (state !== 'RUNNING' && state !== 'PAUSED') return;
    const next = await this.deps.worker.connectorTaskConfigs(name);
    const snapshot = this.deps.configStore.taskSnapshot(name);
    const unchanged =
      snapshot !== undefined &&
      JSON.stringify(snapshot.taskConfigs) === JSON.stringify(next) &&
      JSON.stringify(snapshot.connectorConfig) === JSON.stringify(stored.config);
    if (unchanged) return;
    // Exactly-once sources: the previous generation's tasks are fenced before the new one can start.
    await this.deps.worker.fenceZombies(name, stored.config, snapshot?.taskConfigs.length ?? 0);
    await this.deps.configStore.putTaskConfigs(name, next);
    await this.deps.statusStore.trimTasks(name, next.length);
  }

  private async restartLocally(request: RestartRequest): Promise<void> {
    const name = request.connector;
    const stored = this.deps.configStore.connector(name);
    if (stored === undefined) return;
    const failed = (state: string | undefined): boolean => state === 'FAILED';
    if (request.task !== null) {
      await this.restartLocalTask(name, request.task);
      return;
    }
    const restartConnector =
      this.runningConnectors.has(name) &&
      (!request.onlyFailed || failed(this.deps.statusStore.connector(name)?.state));
    if (restartConnector) {
      await this.deps.worker.stopConnector(name);
      this.runningConnectors.delete(name);
    }
    if (request.includeTasks) {
      for (const id of this.deps.worker.runningTasks(name)) {
        if (request.onlyFailed && !failed(this.deps.statusStore.task(name, id.task)?.state)) continue;
        await this.deps.worker.stopTask(id);
        this.runningTasks.delete(taskKey(id));
      }
    }
    await this.reconcile(name);
  }

  private async restartLocalTask(name: string, task: number): Promise<void> {
    const id = { connector: name, task };
    if (!this.runningTasks.has(taskKey(id))) return;
    await this.deps.worker.stopTask(id);
    this.runningTasks.delete(taskKey(id));
    await this.reconcile(name);
  }

  /** Stops everything running here (offsets are committed); the caller leaves the group afterwards. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.assigned = { connectors: [], tasks: [] };
    await Promise.all(
      this.localConnectorNames().map((name) => this.enqueue(name, () => this.reconcile(name))),
    );
    await Promise.all([...this.queues.values()].map((q) => q.drain()));
    this.closeHerderClients();
  }

  // ---- Herder: reads, answered from this worker's copy of the stores ----

  async health(): Promise<HealthInfo> {
    return this.ready
      ? this.startedHealth()
      : { status: 'starting', message: 'Worker is still starting up (joining the cluster).' };
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const stored = this.stored(name);
    const count = stored.taskConfigs.length;
    return {
      name,
      connector: this.deps.statusStore.connector(name) ?? { state: 'UNASSIGNED', worker_id: this.workerId },
      tasks: this.deps.statusStore.tasks(name).filter((t) => t.id < count),
      type: this.typeOf(stored.config),
    };
  }

  async taskStatus(id: ConnectorTaskId): Promise<TaskStateEntry> {
    const stored = this.stored(id.connector);
    const status =
      id.task < stored.taskConfigs.length ? this.deps.statusStore.task(id.connector, id.task) : undefined;
    if (status === undefined) throw new SluiceError('TASK_NOT_FOUND', [`${id.connector}-${id.task}`]);
    return status;
  }

  // ---- Herder: writes, done by the leader ----

  /** Each write runs on the leader; elsewhere it is forwarded as the same REST request to the leader. */
  private get isLeader(): boolean {
    return this.group?.isLeader ?? false;
  }

  async putConnectorConfig(
    name: string,
    config: Record<string, string>,
    options: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<PutConfigResult> {
    if (!this.isLeader) {
      if (options.allowReplace) {
        const reply = await this.leader.send('PUT', `/connectors/${enc(name)}/config`, config);
        return { created: reply.status === 201, info: reply.body as ConnectorInfo };
      }
      const body = { name, config, ...(options.initialState ? { initial_state: options.initialState } : {}) };
      const reply = await this.leader.send('POST', '/connectors', body);
      return { created: true, info: reply.body as ConnectorInfo };
    }
    await this.deps.configStore.readToEnd();
    const exists = this.deps.configStore.connector(name) !== undefined;
    if (exists && !options.allowReplace) throw new SluiceError('CONNECTOR_EXISTS', [name]);
    const full = await this.validatedConfig(name, config);
    if (exists) await this.deps.configStore.putConnector(name, full);
    else await this.deps.configStore.putConnector(name, full, options.initialState ?? 'STARTED');
    return { created: !exists, info: await this.connectorInfo(name) };
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    if (!this.isLeader)
      return (await this.leader.send('PATCH', `/connectors/${enc(name)}/config`, patch))
        .body as ConnectorInfo;
    return (await this.putConnectorConfig(name, this.patched(name, patch), { allowReplace: true })).info;
  }

  async deleteConnector(name: string): Promise<void> {
    if (!this.isLeader) {
      await this.leader.send('DELETE', `/connectors/${enc(name)}`);
      return;
    }
    const stored = this.stored(name);
    await this.deps.configStore.removeConnector(name);
    await this.deps.statusStore.remove(name, stored.taskConfigs.length);
    this.deps.logger?.info(`connector ${name} deleted`, { connector: name });
  }

  async restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null> {
    if (!this.isLeader) {
      const query = `includeTasks=${options.includeTasks}&onlyFailed=${options.onlyFailed}`;
      const reply = await this.leader.send('POST', `/connectors/${enc(name)}/restart?${query}`);
      return (reply.body as ConnectorStateInfo | null) ?? null;
    }
    const before = await this.connectorStatus(name);
    const restartConnector = !options.onlyFailed || before.connector.state === 'FAILED';
    const restarting = (t: TaskStateEntry): boolean =>
      options.includeTasks && (!options.onlyFailed || t.state === 'FAILED');
    await this.deps.configStore.putRestartRequest({
      connector: name,
      task: null,
      includeTasks: options.includeTasks,
      onlyFailed: options.onlyFailed,
    });
    if (!options.includeTasks && !options.onlyFailed) return null;
    return {
      ...before,
      connector: restartConnector ? { ...before.connector, state: 'RESTARTING' } : before.connector,
      tasks: before.tasks.map((t) => (restarting(t) ? { ...t, state: 'RESTARTING' } : t)),
    };
  }

  async restartTask(id: ConnectorTaskId): Promise<void> {
    if (!this.isLeader) {
      await this.leader.send('POST', `/connectors/${enc(id.connector)}/tasks/${id.task}/restart`);
      return;
    }
    const stored = this.stored(id.connector);
    if (stored.taskConfigs[id.task] === undefined)
      throw new SluiceError('TASK_NOT_FOUND', [`${id.connector}-${id.task}`]);
    await this.deps.configStore.putRestartRequest({
      connector: id.connector,
      task: id.task,
      includeTasks: false,
      onlyFailed: false,
    });
  }

  private async setTargetState(
    name: string,
    target: TargetState,
    verb: 'pause' | 'resume' | 'stop',
  ): Promise<void> {
    if (!this.isLeader) {
      await this.leader.send('PUT', `/connectors/${enc(name)}/${verb}`);
      return;
    }
    this.stored(name);
    await this.deps.configStore.putTargetState(name, target);
    // As Connect does: a stopped connector has no tasks (they are reassigned away at the next round).
    if (target === 'STOPPED') await this.deps.configStore.putTaskConfigs(name, []);
  }

  pauseConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'PAUSED', 'pause');
  }

  resumeConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'STARTED', 'resume');
  }

  stopConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'STOPPED', 'stop');
  }

  async alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<{ message: string }> {
    if (!this.isLeader)
      return (await this.leader.send('PATCH', `/connectors/${enc(name)}/offsets`, offsets)).body as {
        message: string;
      };
    return this.writeOffsets(name, offsets);
  }

  async resetConnectorOffsets(name: string): Promise<{ message: string }> {
    if (!this.isLeader)
      return (await this.leader.send('DELETE', `/connectors/${enc(name)}/offsets`)).body as {
        message: string;
      };
    return this.writeOffsets(name, null);
  }
}
