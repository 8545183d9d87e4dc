import type { Logger } from '../api/logger.js';
import type { ConnectorPlugin, Plugin } from '../api/plugin.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { KafkaAdmin } from '../kafka/types.js';
import type { ConfigStore, StoredConnector } from '../storage/config-store.js';
import type { ConnectorOffsetStores } from '../storage/connector-offset-stores.js';
import type { PluginRegistry } from '../worker/plugin-registry.js';
import { SerialQueue } from '../worker/serial-queue.js';
import type { Worker } from '../worker/worker.js';
import { KafkaReachability } from './kafka-reachability.js';
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
  HealthInfo,
  LoggerLevel,
  PluginInfo,
  ServerInfo,
  TaskInfo,
} from './rest-types.js';
import type { ConnectorLogPage, ConnectorLogSource } from './connector-logs.js';

/** What every herder needs, whatever keeps its configs and statuses. */
export interface HerderDependencies {
  readonly worker: Worker;
  readonly configStore: ConfigStore;
  readonly offsetStores: ConnectorOffsetStores;
  readonly plugins: PluginRegistry;
  readonly admin: () => Promise<KafkaAdmin>;
  /** Connect's validate response for a config against a plugin (base keys, plugin keys, transforms, connector.validate). */
  readonly validate: (plugin: ConnectorPlugin, config: Record<string, string>) => Promise<ConfigInfos>;
  /** GET /connector-plugins/{plugin}/config: a connector's keys with Connect's common ones, or another plugin's keys. */
  readonly describeConfig: (plugin: Plugin) => ConfigKeyInfo[];
  readonly logLevels: LogLevels;
  /** The recent lines of connector and task loggers of this process (none kept when absent). */
  readonly connectorLogs?: ConnectorLogSource;
  readonly serverInfo: ServerInfo;
  /** Where the herder says what operators should know (unknown keys, lifecycle requests). */
  readonly logger?: Logger;
  /** Worker `topic.tracking.enable` / `topic.tracking.allow.reset` (both default true), for the topics endpoints. */
  readonly topicTracking?: { readonly enable: boolean; readonly allowReset: boolean };
}

function validationMessage(infos: ConfigInfos): string {
  const lines: string[] = [];
  for (const c of infos.configs) for (const e of c.value.errors) lines.push(`${c.value.name}: ${e}`);
  return lines.join('\n');
}

/**
 * The part of the Herder that does not depend on how a cluster is coordinated: reads answered from this
 * worker's config store, plugin/logger endpoints, and validation of a config before it is stored. The
 * standalone and distributed herders differ only in where writes run and what runs where.
 */
export abstract class HerderBase<D extends HerderDependencies> {
  /** One queue per connector: its lifecycle operations run one at a time, never blocking other connectors. */
  protected readonly queues = new Map<string, SerialQueue>();

  /** Whether Kafka answers now, for GET /health. */
  private readonly kafka: KafkaReachability;

  constructor(protected readonly deps: D) {
    this.kafka = new KafkaReachability(deps.admin);
  }

  /**
   * The health of a worker that finished starting: unhealthy (KIP-1017's 500) while Kafka cannot be
   * reached, because no connector can then move data or commit offsets.
   */
  protected async startedHealth(): Promise<HealthInfo> {
    const problem = await this.kafka.problem();
    return problem === null
      ? { status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' }
      : { status: 'unhealthy', message: `Worker cannot reach the Kafka cluster: ${problem}` };
  }

  /** Closes what the herder itself holds open (the health check's Kafka client). */
  protected closeHerderClients(): void {
    this.kafka.close();
  }

  protected queue(name: string): SerialQueue {
    let q = this.queues.get(name);
    if (q === undefined) this.queues.set(name, (q = new SerialQueue()));
    return q;
  }

  protected get workerId(): string {
    return this.deps.worker.settings.workerId;
  }

  protected stored(name: string): StoredConnector {
    const c = this.deps.configStore.connector(name);
    if (c === undefined) throw new SluiceError('CONNECTOR_NOT_FOUND', [name]);
    return c;
  }

  protected typeOf(config: Readonly<Record<string, string>>): 'source' | 'sink' | 'unknown' {
    return this.deps.plugins.connector(config['connector.class'] ?? '')?.type ?? 'unknown';
  }

  /** `config` with its name, after Connect's validation: INVALID_CONFIG naming every failing key otherwise. */
  protected async validatedConfig(
    name: string,
    config: Readonly<Record<string, string>>,
  ): Promise<Record<string, string>> {
    const full: Record<string, string> = { ...config, name };
    const connectorClass = full['connector.class'];
    const plugin = this.deps.plugins.connector(connectorClass ?? '');
    if (plugin === undefined) {
      throw new SluiceError('INVALID_CONFIG', [
        1,
        connectorClass === undefined
          ? 'connector.class: Missing required configuration "connector.class" which has no default value.'
          : `connector.class: Failed to find any class that implements Connector and which name matches ${connectorClass}${this.deps.plugins.connectorSuggestion(connectorClass)}`,
      ]);
    }
    const infos = await this.deps.validate(plugin, full);
    if (infos.error_count > 0)
      throw new SluiceError('INVALID_CONFIG', [infos.error_count, validationMessage(infos)]);
    for (const c of infos.configs)
      for (const warning of c.value.warnings ?? [])
        this.deps.logger?.warn(`connector ${name}: ${warning}`, { connector: name, key: c.value.name });
    return full;
  }

  /** The stored config with a PATCH applied (null removes a key). */
  protected patched(name: string, patch: Readonly<Record<string, string | null>>): Record<string, string> {
    const merged: Record<string, string> = { ...this.stored(name).config };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    return merged;
  }

  protected pluginFor(name: string): { plugin: ConnectorPlugin; config: Record<string, string> } {
    const stored = this.stored(name);
    return {
      plugin: this.deps.plugins.requireConnector(stored.config['connector.class'] ?? ''),
      config: stored.config,
    };
  }

  /**
   * Alters (`offsets` given) or resets (null) a STOPPED connector's offsets. The check runs before
   * `serialize` so a refusal is immediate; `serialize` orders the write with the connector's lifecycle.
   */
  protected async writeOffsets(
    name: string,
    offsets: ConnectorOffsets | null,
    serialize: (job: () => Promise<void>) => Promise<void> = (job) => job(),
  ): Promise<{ message: string }> {
    const { plugin, config } = this.pluginFor(name);
    if (this.stored(name).targetState !== 'STOPPED') throw new SluiceError('CONNECTOR_NOT_STOPPED', [name]);
    const target = {
      name,
      plugin,
      config,
      offsetStore: await this.deps.offsetStores.forConnector(config),
      admin: this.deps.admin,
      resolveConfig: (c: Readonly<Record<string, string>>) => this.deps.worker.resolveConfig(c),
    };
    if (offsets === null) {
      await serialize(() => resetConnectorOffsets(target));
      return { message: OFFSETS_RESET_MESSAGE };
    }
    await serialize(() => alterConnectorOffsets({ ...target, offsets }));
    return { message: OFFSETS_ALTERED_MESSAGE };
  }

  serverInfo(): ServerInfo {
    return this.deps.serverInfo;
  }

  async connectors(): Promise<string[]> {
    return this.deps.configStore
      .connectors()
      .map((c) => c.name)
      .sort();
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

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    return this.stored(name).taskConfigs.map((config, task) => ({
      id: { connector: name, task },
      config: { ...config },
    }));
  }

  /** The topics the connector's tasks used, wherever this herder keeps them. */
  protected abstract activeTopics(name: string): string[];
  protected abstract resetActiveTopics(name: string): Promise<void>;

  async connectorActiveTopics(name: string): Promise<ActiveTopics> {
    if (this.deps.topicTracking?.enable === false) throw new SluiceError('TOPIC_TRACKING_DISABLED');
    this.stored(name);
    return { [name]: { topics: this.activeTopics(name) } };
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    if (this.deps.topicTracking?.enable === false) throw new SluiceError('TOPIC_TRACKING_DISABLED');
    if (this.deps.topicTracking?.allowReset === false) throw new SluiceError('TOPIC_TRACKING_RESET_DISABLED');
    this.stored(name);
    await this.resetActiveTopics(name);
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const { plugin, config } = this.pluginFor(name);
    return readConnectorOffsets({
      name,
      plugin,
      config,
      offsetStore: await this.deps.offsetStores.forConnector(config),
      admin: this.deps.admin,
    });
  }

  connectorPlugins(connectorsOnly: boolean): PluginInfo[] {
    return this.deps.plugins.list(connectorsOnly);
  }

  connectorPluginConfig(pluginName: string): ConfigKeyInfo[] {
    // As in Connect, converters, header converters, transformations and predicates describe their keys too.
    const plugin = this.deps.plugins.connector(pluginName) ?? this.deps.plugins.anyPlugin(pluginName);
    return this.deps.describeConfig(plugin ?? this.deps.plugins.requireConnector(pluginName));
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

  async connectorLogs(name: string, since: number, limit: number, waitMs: number): Promise<ConnectorLogPage> {
    this.stored(name);
    const lines = (await this.deps.connectorLogs?.lines(name, since, limit, waitMs)) ?? [];
    return { worker_id: this.workerId, lines, next: lines.at(-1)?.seq ?? since };
  }
}
