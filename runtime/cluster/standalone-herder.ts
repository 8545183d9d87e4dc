import type { ConnectorPlugin } from '../api/plugin.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { KafkaAdmin } from '../kafka/types.js';
import type { ConfigStore } from '../storage/config-store.js';
import type { OffsetStore } from '../storage/offset-store.js';
import type { PluginRegistry } from '../worker/plugin-registry.js';
import { SerialQueue } from '../worker/serial-queue.js';
import type { StatusEvent, Worker } from '../worker/worker.js';
import type { Herder } from './herder.js';
import type { LogLevels } from './log-levels.js';
import {
  alterConnectorOffsets,
  OFFSETS_ALTERED_MESSAGE,
  OFFSETS_RESET_MESSAGE,
  readConnectorOffsets,
  resetConnectorOffsets,
} from './offsets-api.js';
import type {
  ActiveTopics,
  ConfigInfos,
  ConfigKeyInfo,
  ConnectorInfo,
  ConnectorOffsets,
  ConnectorStateInfo,
  ConnectorTaskId,
  HealthInfo,
  LoggerLevel,
  PluginInfo,
  PutConfigResult,
  RestartOptions,
  ServerInfo,
  TargetState,
  TaskInfo,
  TaskStateEntry,
} from './rest-types.js';
import { StatusBoard } from './status-board.js';

export interface StandaloneHerderDependencies {
  readonly worker: Worker;
  readonly configStore: ConfigStore;
  readonly offsetStore: OffsetStore;
  readonly plugins: PluginRegistry;
  readonly admin: () => Promise<KafkaAdmin>;
  /** Connect's validate response for a config against a plugin (base keys, plugin keys, transforms, connector.validate). */
  readonly validate: (plugin: ConnectorPlugin, config: Record<string, string>) => Promise<ConfigInfos>;
  readonly describeConfig: (plugin: ConnectorPlugin) => ConfigKeyInfo[];
  readonly logLevels: LogLevels;
  readonly serverInfo: ServerInfo;
}

function tasksMaxOf(config: Readonly<Record<string, string>>): number {
  const n = Number(config['tasks.max'] ?? '1');
  return Number.isInteger(n) && n > 0 ? n : 1;
}

function validationMessage(infos: ConfigInfos): string {
  const lines: string[] = [];
  for (const c of infos.configs) for (const e of c.value.errors) lines.push(`${c.value.name}: ${e}`);
  return lines.join('\n');
}

/**
 * One worker that is its own cluster: configs in a file, statuses in memory. Each connector's
 * operations run one at a time in its own queue, in the background, so REST never waits on a slow
 * connector and connectors never wait on each other.
 */
export class StandaloneHerder implements Herder {
  private readonly statuses = new StatusBoard();
  private readonly queues = new Map<string, SerialQueue>();
  private started = false;

  constructor(private readonly deps: StandaloneHerderDependencies) {}

  /** Called by the worker for every state change. */
  onStatus(event: StatusEvent): void {
    if (event.task === null) {
      this.statuses.putConnector(event.connector, {
        state: event.state,
        worker_id: event.workerId,
        ...(event.trace ? { trace: event.trace } : {}),
      });
    } else {
      this.statuses.putTask(event.connector, {
        id: event.task,
        state: event.state,
        worker_id: event.workerId,
        ...(event.trace ? { trace: event.trace } : {}),
      });
    }
  }

  private queue(name: string): SerialQueue {
    let q = this.queues.get(name);
    if (q === undefined) this.queues.set(name, (q = new SerialQueue()));
    return q;
  }

  /** Starts every stored connector; returns without waiting for them to be running. */
  async start(): Promise<void> {
    this.started = true;
    for (const c of this.deps.configStore.connectors()) void this.queue(c.name).run(() => this.startConnector(c.name));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.drain()));
    await this.deps.worker.stop();
  }

  private get workerId(): string {
    return this.deps.worker.settings.workerId;
  }

  private stored(name: string): { config: Record<string, string>; targetState: TargetState; taskConfigs: Record<string, string>[] } {
    const c = this.deps.configStore.connector(name);
    if (c === undefined) throw new SluiceError('CONNECTOR_NOT_FOUND', [name]);
    return c;
  }

  private typeOf(config: Readonly<Record<string, string>>): 'source' | 'sink' | 'unknown' {
    return this.deps.plugins.connector(config['connector.class'] ?? '')?.type ?? 'unknown';
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
    const taskConfigs = await this.deps.worker.connectorTaskConfigs(name, tasksMaxOf(stored.config));
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
    const next = await this.deps.worker.connectorTaskConfigs(name, tasksMaxOf(stored.config));
    if (JSON.stringify(next) === JSON.stringify(stored.taskConfigs)) return;
    await this.stopTasks(name);
    await this.deps.configStore.putTaskConfigs(name, next);
    this.statuses.trimTasks(name, next.length);
    await this.startTasks(name, next);
  }

  // ---- Herder ----

  serverInfo(): ServerInfo {
    return this.deps.serverInfo;
  }

  async health(): Promise<HealthInfo> {
    return this.started
      ? { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' }
      : { status: 'starting', message: 'Worker is still starting up.' };
  }

  async connectors(): Promise<string[]> {
    return this.deps.configStore.connectors().map((c) => c.name).sort();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const stored = this.stored(name);
    return {
      name,
      config: { ...stored.config },
      tasks: stored.taskConfigs.map((_, task) => ({ connector: name, task })),
      type: this.typeOf(stored.config),
    };
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    return { ...this.stored(name).config };
  }

  async putConnectorConfig(
    name: string,
    config: Record<string, string>,
    options: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<PutConfigResult> {
    const full: Record<string, string> = { ...config, name };
    const exists = this.deps.configStore.connector(name) !== undefined;
    if (exists && !options.allowReplace) throw new SluiceError('CONNECTOR_EXISTS', [name]);
    const plugin = this.deps.plugins.connector(full['connector.class'] ?? '');
    if (plugin === undefined) {
      if (full['connector.class'] === undefined) {
        throw new SluiceError('INVALID_CONFIG', [1, 'connector.class: Missing required configuration "connector.class" which has no default value.']);
      }
      throw new SluiceError('INVALID_CONFIG', [1, `connector.class: Failed to find any class that implements Connector and which name matches ${full['connector.class']}`]);
    }
    const infos = await this.deps.validate(plugin, full);
    if (infos.error_count > 0) throw new SluiceError('INVALID_CONFIG', [infos.error_count, validationMessage(infos)]);

    await this.queue(name).run(async () => {
      if (exists) {
        await this.stopConnectorAndTasks(name);
        await this.deps.configStore.putConnector(name, full);
      } else {
        await this.deps.configStore.putConnector(name, full, options.initialState ?? 'STARTED');
      }
    });
    void this.queue(name).run(() => this.startConnector(name));
    return { created: !exists, info: await this.connectorInfo(name) };
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    const merged: Record<string, string> = { ...this.stored(name).config };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    return (await this.putConnectorConfig(name, merged, { allowReplace: true })).info;
  }

  async deleteConnector(name: string): Promise<void> {
    this.stored(name);
    await this.queue(name).run(async () => {
      await this.stopConnectorAndTasks(name);
      await this.deps.configStore.removeConnector(name);
      this.statuses.remove(name);
      this.deps.worker.resetActiveTopics(name);
    });
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

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    return this.stored(name).taskConfigs.map((config, task) => ({ id: { connector: name, task }, config: { ...config } }));
  }

  async restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null> {
    const stored = this.stored(name);
    const before = await this.connectorStatus(name);
    const restartConnector = !options.onlyFailed || before.connector.state === 'FAILED';
    const tasksToRestart = options.includeTasks
      ? before.tasks.filter((t) => !options.onlyFailed || t.state === 'FAILED').map((t) => t.id)
      : [];
    if (restartConnector) this.onStatus({ connector: name, task: null, state: 'RESTARTING', workerId: this.workerId });
    for (const task of tasksToRestart) this.onStatus({ connector: name, task, state: 'RESTARTING', workerId: this.workerId });
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
    if (stored.taskConfigs[id.task] === undefined) throw new SluiceError('TASK_NOT_FOUND', [`${id.connector}-${id.task}`]);
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

  async connectorActiveTopics(name: string): Promise<ActiveTopics> {
    this.stored(name);
    return { [name]: { topics: this.deps.worker.activeTopics(name) } };
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    this.stored(name);
    this.deps.worker.resetActiveTopics(name);
  }

  private pluginFor(name: string): { plugin: ConnectorPlugin; config: Record<string, string> } {
    const stored = this.stored(name);
    return { plugin: this.deps.plugins.requireConnector(stored.config['connector.class'] ?? ''), config: stored.config };
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const { plugin, config } = this.pluginFor(name);
    return readConnectorOffsets({ name, plugin, config, offsetStore: this.deps.offsetStore, admin: this.deps.admin });
  }

  private requireStopped(name: string): void {
    if (this.stored(name).targetState !== 'STOPPED') throw new SluiceError('CONNECTOR_NOT_STOPPED', [name]);
  }

  async alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<{ message: string }> {
    const { plugin, config } = this.pluginFor(name);
    this.requireStopped(name);
    await this.queue(name).run(() =>
      alterConnectorOffsets({ name, plugin, config, offsets, offsetStore: this.deps.offsetStore, admin: this.deps.admin }),
    );
    return { message: OFFSETS_ALTERED_MESSAGE };
  }

  async resetConnectorOffsets(name: string): Promise<{ message: string }> {
    const { plugin, config } = this.pluginFor(name);
    this.requireStopped(name);
    await this.queue(name).run(() =>
      resetConnectorOffsets({ name, plugin, config, offsetStore: this.deps.offsetStore, admin: this.deps.admin }),
    );
    return { message: OFFSETS_RESET_MESSAGE };
  }

  connectorPlugins(connectorsOnly: boolean): PluginInfo[] {
    return this.deps.plugins.list(connectorsOnly);
  }

  connectorPluginConfig(pluginName: string): ConfigKeyInfo[] {
    return this.deps.describeConfig(this.deps.plugins.requireConnector(pluginName));
  }

  validateConnectorConfig(pluginName: string, config: Record<string, string>): Promise<ConfigInfos> {
    return this.deps.validate(this.deps.plugins.requireConnector(pluginName), config);
  }

  loggers(): Record<string, LoggerLevel> {
    return this.deps.logLevels.all();
  }

  logger(name: string): LoggerLevel {
    return this.deps.logLevels.get(name);
  }

  setLogLevel(name: string, level: string): string[] {
    return this.deps.logLevels.set(name, level);
  }
}
