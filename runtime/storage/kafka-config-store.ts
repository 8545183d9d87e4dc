import type { Logger } from '../api/logger.js';
import type { TargetState } from '../cluster/rest-types.js';
import type {
  ClusterConfigStore,
  ConfigChange,
  RestartRequest,
  SessionKey,
  TaskSnapshot,
} from './cluster-config-store.js';
import { isTargetState } from './cluster-config-store.js';
import { UNSEALED, type ConfigSealer, type StoredConnector } from './config-store.js';
import { ConfigKeys, parseConfigKey } from './connect-record-keys.js';
import { jsonBytes, parseJsonObject, type KafkaLog, type LogEntry, type LogWrite } from './kafka-log.js';

function stringMap(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Connect writes `state` for old workers (which know no STOPPED) and `state.v2` for new ones. */
function targetStateValue(state: TargetState): Buffer {
  return jsonBytes({ state: state === 'STOPPED' ? 'PAUSED' : state, 'state.v2': state });
}

/**
 * Connector configs, task configs, target states and restart requests in the compacted config topic,
 * in Kafka Connect's record formats. Task configs are applied atomically: `task-<name>-<n>` records
 * wait until the `commit-<name>` record that counts them, as in Connect's KafkaConfigBackingStore.
 */
export class KafkaConfigStore implements ClusterConfigStore {
  private readonly configs = new Map<string, Record<string, string>>();
  private readonly targetStates = new Map<string, TargetState>();
  private readonly tasks = new Map<string, TaskSnapshot>();
  private readonly deferredTasks = new Map<string, Map<number, Record<string, string>>>();
  private readonly listeners: ((change: ConfigChange) => void)[] = [];
  private latestSessionKey: SessionKey | undefined;
  private started = false;
  private offset = -1;

  constructor(
    private readonly log: KafkaLog,
    private readonly logger: Logger,
    private readonly sealer: ConfigSealer = UNSEALED,
  ) {}

  get position(): number {
    return this.offset;
  }

  async start(): Promise<void> {
    await this.log.start((entry) => this.apply(entry));
    this.started = true;
  }

  readToEnd(): Promise<void> {
    return this.log.readToEnd();
  }

  onChange(listener: (change: ConfigChange) => void): void {
    this.listeners.push(listener);
  }

  private emit(change: ConfigChange): void {
    // Replayed history is state, not news: restart requests only count once the store is live (as in Connect).
    if (!this.started && change.kind === 'restart') return;
    for (const listener of this.listeners) listener(change);
  }

  private apply(entry: LogEntry): void {
    this.offset = Math.max(this.offset, entry.offset);
    if (entry.key === null) return;
    const key = parseConfigKey(entry.key);
    const value = parseJsonObject(entry.value);
    switch (key.kind) {
      case 'connector': {
        if (entry.value === null) {
          const existed = this.configs.delete(key.connector);
          this.targetStates.delete(key.connector);
          this.tasks.delete(key.connector);
          this.deferredTasks.delete(key.connector);
          if (existed) this.emit({ kind: 'connector-removed', connector: key.connector });
          return;
        }
        const properties = stringMap(value?.['properties']);
        if (properties === undefined)
          return this.logger.warn(`ignoring malformed config record ${entry.key}`);
        this.configs.set(key.connector, this.sealer.open(properties));
        return this.emit({ kind: 'connector-config', connector: key.connector });
      }
      case 'target-state': {
        if (entry.value === null) return void this.targetStates.delete(key.connector);
        const state = value?.['state.v2'] ?? value?.['state'];
        if (!isTargetState(state)) return this.logger.warn(`ignoring malformed config record ${entry.key}`);
        this.targetStates.set(key.connector, state);
        return this.emit({ kind: 'target-state', connector: key.connector });
      }
      case 'task': {
        const properties = stringMap(value?.['properties']);
        if (properties === undefined) return;
        let deferred = this.deferredTasks.get(key.connector);
        if (deferred === undefined) this.deferredTasks.set(key.connector, (deferred = new Map()));
        deferred.set(key.task, this.sealer.open(properties));
        return;
      }
      case 'commit':
        return this.applyCommit(key.connector, value?.['tasks']);
      case 'session-key': {
        const sessionKey = value?.['key'];
        const algorithm = value?.['algorithm'];
        const created = value?.['creation-timestamp'];
        if (typeof sessionKey !== 'string' || typeof algorithm !== 'string' || typeof created !== 'number')
          return this.logger.warn(`ignoring malformed config record ${entry.key}`);
        this.latestSessionKey = { key: sessionKey, algorithm, creationTimestamp: created };
        return;
      }
      case 'restart-connector':
      case 'restart-task':
        if (value === undefined) return;
        return this.emit({
          kind: 'restart',
          request: {
            connector: key.connector,
            task: key.kind === 'restart-task' ? key.task : null,
            includeTasks: value['include-tasks'] === true,
            onlyFailed: value['only-failed'] === true,
          },
        });
      default:
        return;
    }
  }

  private applyCommit(connector: string, count: unknown): void {
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) return;
    const deferred = this.deferredTasks.get(connector) ?? new Map<number, Record<string, string>>();
    this.deferredTasks.delete(connector);
    const taskConfigs: Record<string, string>[] = [];
    for (let i = 0; i < count; i++) {
      const config = deferred.get(i);
      if (config === undefined) {
        // A writer died between its task records and the commit of another attempt: keep the last complete set.
        this.logger.warn(
          `commit-${connector} counts ${count} tasks but task ${i} is missing; keeping the previous task configs`,
        );
        return;
      }
      taskConfigs.push(config);
    }
    const connectorConfig = this.configs.get(connector);
    if (connectorConfig === undefined) return;
    this.tasks.set(connector, { connectorConfig, taskConfigs });
    this.emit({ kind: 'task-configs', connector });
  }

  connectors(): StoredConnector[] {
    return [...this.configs.keys()].sort().map((name) => this.connector(name)!);
  }

  connector(name: string): StoredConnector | undefined {
    const config = this.configs.get(name);
    if (config === undefined) return undefined;
    return {
      name,
      config,
      targetState: this.targetStates.get(name) ?? 'STARTED',
      taskConfigs: this.tasks.get(name)?.taskConfigs ?? [],
    };
  }

  taskSnapshot(name: string): TaskSnapshot | undefined {
    return this.tasks.get(name);
  }

  private async write(records: readonly LogWrite[]): Promise<void> {
    await this.log.send(records);
    // Read our own write before answering, so the caller's next read sees it.
    await this.log.readToEnd();
  }

  putConnector(name: string, config: Record<string, string>, targetState?: TargetState): Promise<void> {
    const records: LogWrite[] = [];
    // As Connect does: the initial target state goes first, so no worker starts the connector in the wrong state.
    if (targetState !== undefined)
      records.push({ key: ConfigKeys.targetState(name), value: targetStateValue(targetState) });
    records.push({
      key: ConfigKeys.connector(name),
      value: jsonBytes({ properties: this.sealer.seal(config) }),
    });
    return this.write(records);
  }

  putTargetState(name: string, state: TargetState): Promise<void> {
    return this.write([{ key: ConfigKeys.targetState(name), value: targetStateValue(state) }]);
  }

  putTaskConfigs(name: string, taskConfigs: Record<string, string>[]): Promise<void> {
    return this.write([
      ...taskConfigs.map((config, i) => ({
        key: ConfigKeys.task(name, i),
        value: jsonBytes({ properties: this.sealer.seal(config) }),
      })),
      { key: ConfigKeys.commit(name), value: jsonBytes({ tasks: taskConfigs.length }) },
    ]);
  }

  removeConnector(name: string): Promise<void> {
    return this.write([
      { key: ConfigKeys.connector(name), value: null },
      { key: ConfigKeys.targetState(name), value: null },
    ]);
  }

  putRestartRequest(request: RestartRequest): Promise<void> {
    const key =
      request.task === null
        ? ConfigKeys.restartConnector(request.connector)
        : ConfigKeys.restartTask(request.connector, request.task);
    return this.write([
      { key, value: jsonBytes({ 'include-tasks': request.includeTasks, 'only-failed': request.onlyFailed }) },
    ]);
  }

  sessionKey(): SessionKey | undefined {
    return this.latestSessionKey;
  }

  /** Connect's value: `{"key": base64, "algorithm", "creation-timestamp": ms}`. */
  putSessionKey(key: SessionKey): Promise<void> {
    return this.write([
      {
        key: ConfigKeys.sessionKey,
        value: jsonBytes({
          key: key.key,
          algorithm: key.algorithm,
          'creation-timestamp': key.creationTimestamp,
        }),
      },
    ]);
  }

  async stop(): Promise<void> {
    await this.log.stop();
  }
}
