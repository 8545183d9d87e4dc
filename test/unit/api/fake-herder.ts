import type { ConnectorLogLine, ConnectorLogPage } from '../../../runtime/cluster/connector-logs.js';
import type { Herder } from '../../../runtime/cluster/herder.js';
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
} from '../../../runtime/cluster/rest-types.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';

interface FakeConnector {
  config: Record<string, string>;
  target: TargetState;
  failedTasks: Set<number>;
  topics: string[];
  offsets: ConnectorOffsets;
}

const workerId = 'fake-worker:8083';

const plugins: PluginInfo[] = [
  { class: 'org.example.FileStreamSinkConnector', type: 'sink', version: '1.0.0' },
  { class: 'org.example.FileStreamSourceConnector', type: 'source', version: '1.0.0' },
  { class: 'org.example.InsertField', type: 'transformation', version: '1.0.0' },
];

function keyInfo(name: string, required: boolean): ConfigKeyInfo {
  return {
    name,
    type: 'STRING',
    required,
    default_value: null,
    importance: 'HIGH',
    documentation: `${name} documentation`,
    group: 'Common',
    order_in_group: 1,
    width: 'MEDIUM',
    display_name: name,
    dependents: [],
  };
}

/**
 * An in-memory Herder with just enough behaviour to exercise every REST route: connectors have `tasks.max`
 * tasks, `connector.class` is required, offsets can only change while STOPPED.
 * `hang`, `health` and `failWith` let tests drive the slow, starting and broken cases.
 */
export class FakeHerder implements Herder {
  readonly connectorsByName = new Map<string, FakeConnector>();
  readonly calls: string[] = [];
  healthInfo: HealthInfo = {
    status: 'healthy',
    message: 'Worker has completed startup and is ready to handle requests.',
  };
  /** When set, every async method awaits this promise first. */
  hang: Promise<void> | undefined;
  /** When set, every async method throws this instead. */
  failWith: unknown;
  readonly loggerLevels = new Map<string, LoggerLevel>([['root', { level: 'INFO', last_modified: null }]]);

  private async enter(call: string): Promise<void> {
    this.calls.push(call);
    if (this.hang !== undefined) await this.hang;
    if (this.failWith !== undefined) throw this.failWith;
  }

  private existing(name: string): FakeConnector {
    const connector = this.connectorsByName.get(name);
    if (connector === undefined) throw new SluiceError('CONNECTOR_NOT_FOUND', [name]);
    return connector;
  }

  private taskCount(connector: FakeConnector): number {
    return connector.target === 'STOPPED' ? 0 : Number(connector.config['tasks.max'] ?? '1');
  }

  private info(name: string, connector: FakeConnector): ConnectorInfo {
    const tasks = Array.from({ length: this.taskCount(connector) }, (_, task) => ({ connector: name, task }));
    return {
      name,
      config: { ...connector.config },
      tasks,
      type: connector.config['connector.class']?.includes('Sink') ? 'sink' : 'source',
    };
  }

  private taskState(connector: FakeConnector, id: number): TaskStateEntry {
    if (connector.failedTasks.has(id)) return { id, state: 'FAILED', worker_id: workerId, trace: 'boom' };
    return { id, state: connector.target === 'PAUSED' ? 'PAUSED' : 'RUNNING', worker_id: workerId };
  }

  private status(name: string, connector: FakeConnector): ConnectorStateInfo {
    const state = connector.target === 'STARTED' ? 'RUNNING' : connector.target;
    const tasks = Array.from({ length: this.taskCount(connector) }, (_, id) => this.taskState(connector, id));
    return { name, connector: { state, worker_id: workerId }, tasks, type: this.info(name, connector).type };
  }

  serverInfo(): ServerInfo {
    return { version: '0.1.0', commit: 'abc123', kafka_cluster_id: 'fake-cluster' };
  }

  async health(): Promise<HealthInfo> {
    await this.enter('health');
    return this.healthInfo;
  }

  async connectors(): Promise<string[]> {
    await this.enter('connectors');
    return [...this.connectorsByName.keys()];
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    await this.enter(`connectorInfo ${name}`);
    return this.info(name, this.existing(name));
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    await this.enter(`connectorConfig ${name}`);
    return { ...this.existing(name).config };
  }

  private checkConfig(config: Record<string, string>): void {
    const problems: string[] = [];
    if (config['connector.class'] === undefined)
      problems.push('Missing required configuration "connector.class" which has no default value.');
    if (config['name'] === undefined || config['name'] === '')
      problems.push('Invalid value for configuration name: String may not be empty');
    if (config['tasks.max'] !== undefined && !/^\d+$/.test(config['tasks.max']))
      problems.push(
        `Invalid value ${config['tasks.max']} for configuration tasks.max: Not a number of type INT`,
      );
    if (problems.length > 0) throw new SluiceError('INVALID_CONFIG', [problems.length, problems.join('\n')]);
  }

  async putConnectorConfig(
    name: string,
    config: Record<string, string>,
    options: { allowReplace: boolean; initialState?: TargetState },
  ): Promise<PutConfigResult> {
    await this.enter(
      `putConnectorConfig ${name} allowReplace=${options.allowReplace} initialState=${options.initialState ?? '-'}`,
    );
    const existing = this.connectorsByName.get(name);
    if (existing !== undefined && !options.allowReplace) throw new SluiceError('CONNECTOR_EXISTS', [name]);
    this.checkConfig(config);
    const connector: FakeConnector = existing ?? {
      config,
      target: options.initialState ?? 'STARTED',
      failedTasks: new Set(),
      topics: [],
      offsets: { offsets: [] },
    };
    connector.config = { ...config };
    this.connectorsByName.set(name, connector);
    return { created: existing === undefined, info: this.info(name, connector) };
  }

  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    await this.enter(`patchConnectorConfig ${name}`);
    const connector = this.existing(name);
    const patched = { ...connector.config };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete patched[key];
      else patched[key] = value;
    }
    this.checkConfig(patched);
    connector.config = patched;
    return this.info(name, connector);
  }

  async deleteConnector(name: string): Promise<void> {
    await this.enter(`deleteConnector ${name}`);
    this.existing(name);
    this.connectorsByName.delete(name);
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    await this.enter(`connectorStatus ${name}`);
    return this.status(name, this.existing(name));
  }

  async taskStatus(id: ConnectorTaskId): Promise<TaskStateEntry> {
    await this.enter(`taskStatus ${id.connector}/${id.task}`);
    const connector = this.existing(id.connector);
    if (id.task < 0 || id.task >= this.taskCount(connector))
      throw new SluiceError('TASK_NOT_FOUND', [`${id.connector}-${id.task}`]);
    return this.taskState(connector, id.task);
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    await this.enter(`taskConfigs ${name}`);
    const connector = this.existing(name);
    return Array.from({ length: this.taskCount(connector) }, (_, task) => ({
      id: { connector: name, task },
      config: { 'task.class': 'org.example.FakeTask', 'task.index': String(task) },
    }));
  }

  async restartConnector(name: string, options: RestartOptions): Promise<ConnectorStateInfo | null> {
    await this.enter(
      `restartConnector ${name} includeTasks=${options.includeTasks} onlyFailed=${options.onlyFailed}`,
    );
    const connector = this.existing(name);
    if (!options.includeTasks && !options.onlyFailed) return null;
    const restarting = this.status(name, connector);
    return {
      ...restarting,
      connector: { ...restarting.connector, state: 'RESTARTING' },
      tasks: restarting.tasks.map((task) =>
        options.includeTasks && (!options.onlyFailed || task.state === 'FAILED')
          ? { id: task.id, state: 'RESTARTING', worker_id: workerId }
          : task,
      ),
    };
  }

  async restartTask(id: ConnectorTaskId): Promise<void> {
    await this.taskStatus(id);
    this.calls.push(`restartTask ${id.connector}/${id.task}`);
  }

  async pauseConnector(name: string): Promise<void> {
    await this.enter(`pauseConnector ${name}`);
    this.existing(name).target = 'PAUSED';
  }

  async resumeConnector(name: string): Promise<void> {
    await this.enter(`resumeConnector ${name}`);
    this.existing(name).target = 'STARTED';
  }

  async stopConnector(name: string): Promise<void> {
    await this.enter(`stopConnector ${name}`);
    this.existing(name).target = 'STOPPED';
  }

  async connectorActiveTopics(name: string): Promise<ActiveTopics> {
    await this.enter(`connectorActiveTopics ${name}`);
    return { [name]: { topics: [...this.existing(name).topics] } };
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    await this.enter(`resetConnectorActiveTopics ${name}`);
    this.existing(name).topics = [];
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    await this.enter(`connectorOffsets ${name}`);
    return this.existing(name).offsets;
  }

  private stoppedConnector(name: string): FakeConnector {
    const connector = this.existing(name);
    if (connector.target !== 'STOPPED') throw new SluiceError('CONNECTOR_NOT_STOPPED', [name]);
    return connector;
  }

  async alterConnectorOffsets(name: string, offsets: ConnectorOffsets): Promise<{ message: string }> {
    await this.enter(`alterConnectorOffsets ${name}`);
    const connector = this.stoppedConnector(name);
    connector.offsets = { offsets: offsets.offsets.filter((entry) => entry.offset !== null) };
    return { message: 'The offsets for this connector have been altered successfully' };
  }

  async resetConnectorOffsets(name: string): Promise<{ message: string }> {
    await this.enter(`resetConnectorOffsets ${name}`);
    this.stoppedConnector(name).offsets = { offsets: [] };
    return { message: 'The offsets for this connector have been reset successfully' };
  }

  connectorPlugins(connectorsOnly: boolean): PluginInfo[] {
    return connectorsOnly
      ? plugins.filter((plugin) => plugin.type === 'source' || plugin.type === 'sink')
      : [...plugins];
  }

  private plugin(pluginName: string): PluginInfo {
    // Full class name, simple name, or the alias without the "Connector" suffix.
    const plugin = plugins.find(
      (candidate) =>
        candidate.class === pluginName ||
        [`.${pluginName}`, `.${pluginName}Connector`].some((suffix) => candidate.class.endsWith(suffix)),
    );
    if (plugin === undefined) throw new SluiceError('PLUGIN_NOT_FOUND', [pluginName]);
    return plugin;
  }

  connectorPluginConfig(pluginName: string): ConfigKeyInfo[] {
    this.plugin(pluginName);
    return [keyInfo('file', true), keyInfo('topics', false)];
  }

  async validateConnectorConfig(pluginName: string, config: Record<string, string>): Promise<ConfigInfos> {
    await this.enter(`validateConnectorConfig ${pluginName}`);
    this.plugin(pluginName);
    const configs = ['file', 'topics'].map((name) => {
      const value = config[name] ?? null;
      const errors =
        name === 'file' && value === null
          ? ['Missing required configuration "file" which has no default value.']
          : [];
      return {
        definition: keyInfo(name, name === 'file'),
        value: { name, value, recommended_values: [], errors, visible: true },
      };
    });
    const errorCount = configs.reduce((count, entry) => count + entry.value.errors.length, 0);
    return { name: this.plugin(pluginName).class, error_count: errorCount, groups: ['Common'], configs };
  }

  loggers(): Record<string, LoggerLevel> {
    return Object.fromEntries(this.loggerLevels);
  }

  logger(name: string): LoggerLevel {
    const level = this.loggerLevels.get(name);
    if (level === undefined) throw new SluiceError('LOGGER_NOT_FOUND', [name]);
    return level;
  }

  setLogLevel(name: string, level: string): string[] {
    const changed = [...this.loggerLevels.keys()].filter(
      (logger) => logger === name || logger.startsWith(`${name}.`),
    );
    if (!changed.includes(name)) changed.unshift(name);
    for (const logger of changed)
      this.loggerLevels.set(logger, { level: level.toUpperCase(), last_modified: 1700000000000 });
    return changed;
  }

  /** Log lines a test gave the fake, per connector. */
  readonly logLines = new Map<string, ConnectorLogLine[]>();

  async connectorLogs(name: string, since: number, limit: number): Promise<ConnectorLogPage> {
    await this.enter(`connectorLogs ${name}`);
    this.existing(name);
    const lines = (this.logLines.get(name) ?? []).filter((l) => l.seq > since).slice(-limit);
    return { worker_id: 'fake:8083', lines, next: lines.at(-1)?.seq ?? since };
  }
}
