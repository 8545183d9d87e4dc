import { SluiceError, traceOf } from '../errors/sluice-error.js';
import type { ConfigStore } from '../storage/config-store.js';
import type { StatusEvent, TopicUsedEvent } from '../worker/worker.js';
import type { Herder } from './herder.js';
import { HerderBase, type HerderDependencies } from './herder-base.js';
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
import { StatusBoard } from './status-board.js';

/**
 * How long a create or reconfigure waits for the connector's task configs before answering. Connect's
 * standalone worker answers once the tasks exist (its 201 lists them); a connector slower than this still
 * starts, in the background, and the reply lists the tasks generated so far, so REST never hangs on it.
 */
const TASKS_IN_REPLY_WAIT_MS = 5_000;

async function waitAtMost(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export interface StandaloneHerderDependencies extends HerderDependencies {
  readonly configStore: ConfigStore;
}

/**
 * One worker that is its own cluster: configs in a file, statuses in memory. Each connector's
 * operations run one at a time in its own queue, in the background, so REST never waits on a slow
 * connector and connectors never wait on each other.
 */
export class StandaloneHerder extends HerderBase<StandaloneHerderDependencies> implements Herder {
  private readonly statuses = new StatusBoard();
  private started = false;

  /** Called by the worker for every state change. */
  onStatus(event: StatusEvent): void {
    if (event.task === null) {
      this.statuses.putConnector(event.connector, {
        state: event.state,
        worker_id: event.workerId,
        ...(event.trace ? { trace: event.trace } : {}),
        ...(event.version ? { version: event.version } : {}),
      });
    } else {
      this.statuses.putTask(event.connector, {
        id: event.task,
        state: event.state,
        worker_id: event.workerId,
        ...(event.trace ? { trace: event.trace } : {}),
        ...(event.version ? { version: event.version } : {}),
      });
    }
  }

  /** Called by the worker for the topics of every batch a task produced or consumed. */
  onTopicUsed(event: TopicUsedEvent): void {
    this.statuses.putTopic(event.connector, event.topic);
  }

  protected activeTopics(name: string): string[] {
    return this.statuses.activeTopics(name);
  }

  protected resetActiveTopics(name: string): Promise<void> {
    this.statuses.resetTopics(name);
    return Promise.resolve();
  }

  /** Starts every stored connector; returns without waiting for them to be running. */
  async start(): Promise<void> {
    this.started = true;
    for (const c of this.deps.configStore.connectors()) void this.startInBackground(c.name);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.drain()));
    await this.deps.worker.stop();
    this.closeHerderClients();
  }

  /**
   * Starts a connector in its queue. Whatever a stored config makes it throw (a plugin no longer installed,
   * say) leaves the connector FAILED with the trace, never an unhandled rejection that ends the worker.
   */
  private startInBackground(name: string): Promise<void> {
    return this.queue(name)
      .run(() => this.startConnector(name))
      .catch((error: unknown) =>
        this.onStatus({
          connector: name,
          task: null,
          state: 'FAILED',
          workerId: this.workerId,
          trace: traceOf(error),
        }),
      );
  }

  // ---- lifecycle of one connector (always called inside its queue) ----

  private async startConnector(name: string): Promise<void> {
    const stored = this.deps.configStore.connector(name);
    if (stored === undefined) return;
    const running = await this.deps.worker.startConnector(name, stored.config, stored.targetState, () => {
      void this.queue(name).run(() => this.reconfigureTasks(name));
    });
    if (!running) {
      if (stored.targetState === 'STOPPED') {
        await this.deps.configStore.putTaskConfigs(name, []);
        this.statuses.trimTasks(name, 0);
      }
      return;
    }
    const taskConfigs = await this.deps.worker.connectorTaskConfigs(name);
    await this.deps.configStore.putTaskConfigs(name, taskConfigs);
    this.statuses.trimTasks(name, taskConfigs.length);
    await this.startTasks(name, taskConfigs);
  }

  private async startTasks(name: string, taskConfigs: readonly Record<string, string>[]): Promise<void> {
    const stored = this.stored(name);
    await Promise.all(
      taskConfigs.map((taskConfig, task) =>
        this.deps.worker.startTask({ connector: name, task }, stored.config, taskConfig, stored.targetState),
      ),
    );
  }

  private async stopTasks(name: string): Promise<void> {
    await Promise.all(this.deps.worker.runningTasks(name).map((id) => this.deps.worker.stopTask(id)));
  }

  private async stopConnectorAndTasks(name: string): Promise<void> {
    await this.stopTasks(name);
    await this.deps.worker.stopConnector(name);
  }

  private async reconfigureTasks(name: string): Promise<void> {
    const stored = this.deps.configStore.connector(name);
    if (stored === undefined || stored.targetState === 'STOPPED') return;
    const next = await this.deps.worker.connectorTaskConfigs(name);
    if (JSON.stringify(next) === JSON.stringify(stored.taskConfigs)) return;
    await this.stopTasks(name);
    await this.deps.configStore.putTaskConfigs(name, next);
    this.statuses.trimTasks(name, next.length);
    await this.startTasks(name, next);
  }

  // ---- Herder ----

  async health(): Promise<HealthInfo> {
    return this.started
      ? this.startedHealth()
      : { status: 'starting', message: 'Worker is still starting up.' };
  }

  async putConnectorConfig(
    name: string,
    config: Record<string, string>,
    options: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<PutConfigResult> {
    const exists = this.deps.configStore.connector(name) !== undefined;
    if (exists && !options.allowReplace) throw new SluiceError('CONNECTOR_EXISTS', [name]);
    const full = await this.validatedConfig(name, config);

    await this.queue(name).run(async () => {
      if (exists) {
        await this.stopConnectorAndTasks(name);
        await this.deps.configStore.putConnector(name, full);
      } else {
        await this.deps.configStore.putConnector(name, full, options.initialState ?? 'STARTED');
      }
    });
    // Before start() a config is only stored (connector files on the command line, an early REST write):
    // start() then starts every stored connector once. Starting it here too would start it twice.
    if (this.started) await waitAtMost(this.startInBackground(name), TASKS_IN_REPLY_WAIT_MS);
    return { created: !exists, info: await this.connectorInfo(name) };
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    return (await this.putConnectorConfig(name, this.patched(name, patch), { allowReplace: true })).info;
  }

  async deleteConnector(name: string): Promise<void> {
    this.stored(name);
    await this.queue(name).run(async () => {
      await this.stopConnectorAndTasks(name);
      await this.deps.configStore.removeConnector(name);
      // As Connect: the connector's topics stay until a reset, also when it is deleted.
      this.statuses.remove(name);
    });
    this.deps.logger?.info(`connector ${name} deleted`, { connector: name });
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const stored = this.stored(name);
    return this.statuses.info(name, this.typeOf(stored.config), this.workerId);
  }

  async taskStatus(id: ConnectorTaskId): Promise<TaskStateEntry> {
    this.stored(id.connector);
    const status = this.statuses.task(id.connector, id.task);
    if (status === undefined) throw new SluiceError('TASK_NOT_FOUND', [`${id.connector}-${id.task}`]);
    return status;
  }

  async restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null> {
    const stored = this.stored(name);
    const before = await this.connectorStatus(name);
    const restartConnector = !options.onlyFailed || before.connector.state === 'FAILED';
    const tasksToRestart = options.includeTasks
      ? before.tasks.filter((t) => !options.onlyFailed || t.state === 'FAILED').map((t) => t.id)
      : [];
    if (restartConnector)
      this.onStatus({ connector: name, task: null, state: 'RESTARTING', workerId: this.workerId });
    for (const task of tasksToRestart)
      this.onStatus({ connector: name, task, state: 'RESTARTING', workerId: this.workerId });
    const after = await this.connectorStatus(name);
    void this.queue(name).run(async () => {
      if (restartConnector && tasksToRestart.length === stored.taskConfigs.length) {
        await this.stopConnectorAndTasks(name);
        await this.startConnector(name);
        return;
      }
      if (restartConnector) {
        await this.deps.worker.stopConnector(name);
        await this.deps.worker.startConnector(name, stored.config, stored.targetState, () => {
          void this.queue(name).run(() => this.reconfigureTasks(name));
        });
      }
      for (const task of tasksToRestart) await this.restartOneTask({ connector: name, task });
    });
    return options.includeTasks || options.onlyFailed ? after : null;
  }

  private async restartOneTask(id: ConnectorTaskId): Promise<void> {
    const stored = this.stored(id.connector);
    const taskConfig = stored.taskConfigs[id.task];
    if (taskConfig === undefined) return;
    await this.deps.worker.stopTask(id);
    await this.deps.worker.startTask(id, stored.config, taskConfig, stored.targetState);
  }

  async restartTask(id: ConnectorTaskId): Promise<void> {
    const stored = this.stored(id.connector);
    if (stored.taskConfigs[id.task] === undefined)
      throw new SluiceError('TASK_NOT_FOUND', [`${id.connector}-${id.task}`]);
    await this.queue(id.connector).run(() => this.restartOneTask(id));
  }

  private async setTargetState(name: string, target: TargetState): Promise<void> {
    const previous = this.stored(name).targetState;
    await this.queue(name).run(async () => {
      await this.deps.configStore.putTargetState(name, target);
      if (target === 'STOPPED') {
        await this.stopConnectorAndTasks(name);
        await this.deps.configStore.putTaskConfigs(name, []);
        this.statuses.trimTasks(name, 0);
        this.onStatus({ connector: name, task: null, state: 'STOPPED', workerId: this.workerId });
      } else if (previous === 'STOPPED') {
        await this.startConnector(name);
      } else {
        this.deps.worker.setTargetState(name, target);
      }
    });
  }

  pauseConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'PAUSED');
  }

  resumeConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'STARTED');
  }

  stopConnector(name: string): Promise<void> {
    return this.setTargetState(name, 'STOPPED');
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<{ message: string }> {
    return this.writeOffsets(name, offsets, (job) => this.queue(name).run(job));
  }

  resetConnectorOffsets(name: string): Promise<{ message: string }> {
    return this.writeOffsets(name, null, (job) => this.queue(name).run(job));
  }
}
