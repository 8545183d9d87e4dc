import type { ConnectorConfig } from '../api/connector.js';
import type { ConnectorPlugin } from '../api/plugin.js';
import { parseTaskKey, taskKey } from '../cluster/connector-task-key.js';
import type { Logger } from '../api/logger.js';
import type { OffsetStorageReader } from '../api/offsets.js';
import type { SourceOffset, SourcePartition } from '../api/records.js';
import type { ConnectorStateName, ConnectorTaskId, TargetState } from '../cluster/rest-types.js';
import { retryWithBackoff } from '../errors/retry-with-backoff.js';
import { readTasksMax, type TasksMaxSettings } from '../config/tasks-max.js';
import { SluiceError, traceOf } from '../errors/sluice-error.js';
import type { KafkaAccess, KafkaClient } from '../kafka/types.js';
import { WorkerMetrics } from '../metrics/worker-metrics.js';
import type { OffsetStore } from '../storage/offset-store.js';
import { createConverters } from './converter-factory.js';
import { restorePlaceholders } from './restore-placeholders.js';
import type { PluginRegistry } from './plugin-registry.js';
import { createTaskErrorHandling } from './task-error-handling.js';
import { WorkerSinkTaskContext } from './sink-task-context.js';
import type { RecordTransformer, TaskEnvironment } from './task-environment.js';
import { WorkerConnector } from './worker-connector.js';
import { WorkerSinkTask } from './worker-sink-task.js';
import { WorkerSourceTask } from './worker-source-task.js';
import { TopicCreator, topicCreationGroups } from './topic-creation.js';

export interface WorkerSettings {
  /** host:port as shown in status `worker_id` */
  readonly workerId: string;
  /** Raw worker properties: default converters and their options, client overrides. */
  readonly workerConfig: Readonly<Record<string, string>>;
  readonly offsetFlushIntervalMs: number;
  readonly offsetFlushTimeoutMs: number;
  readonly gracefulShutdownMs: number;
  /** Worker `topic.creation.enable`: lets source connectors create their topics (topic.creation.*). */
  readonly topicCreationEnable: boolean;
  /** Worker `tasks.max.limit`: the most tasks one connector may have here. */
  readonly tasksMaxLimit: number;
}

export interface StatusEvent {
  readonly connector: string;
  /** null for the connector itself */
  readonly task: number | null;
  readonly state: ConnectorStateName;
  readonly trace?: string;
  readonly workerId: string;
}

/** Everything the worker needs from outside; the composition root (CLI) wires the real pieces. */
export interface WorkerDependencies {
  readonly plugins: PluginRegistry;
  readonly kafka: KafkaClient;
  readonly offsetStore: OffsetStore;
  readonly logger: (name: string) => Logger;
  /** Resolves ${provider:...} placeholders just before a connector or task starts. */
  readonly resolveConfig: (config: ConnectorConfig) => Promise<Record<string, string>>;
  readonly createTransformer: (connectorConfig: ConnectorConfig) => RecordTransformer;
  readonly onStatus: (event: StatusEvent) => void;
  /** Lent to connectors and source tasks as `context.kafka` (runtime/api kafka-access), e.g. to read another cluster. */
  readonly kafkaAccess?: KafkaAccess;
  /** Where connectors and tasks are counted for GET /metrics (default: counters nobody reads). */
  readonly metrics?: WorkerMetrics;
}

type RunningTask = WorkerSourceTask | WorkerSinkTask;

const CLIENT_CREATE_TIMEOUT_MS = 60_000;
const SINK_SESSION_TIMEOUT_MS = 10_000;
/** kafkajs's default, kept when max.poll.interval.ms became configurable (Java's 300000 would let a stuck member hold a rebalance for 5 min). */
const SINK_REBALANCE_TIMEOUT_MS = 60_000;

/** Runs connectors and tasks on this process. Knows nothing of cluster membership: the herder decides what runs here. */
export class Worker {
  private readonly connectors = new Map<string, WorkerConnector>();
  private readonly tasks = new Map<string, RunningTask>();
  private readonly topics = new Map<string, Set<string>>();
  /** Connector configs as stored (placeholders unresolved), to keep placeholders out of task configs. */
  private readonly rawConfigs = new Map<string, ConnectorConfig>();
  /** Each running connector's tasks.max and tasks.max.enforce, read from its resolved config. */
  private readonly tasksMax = new Map<string, TasksMaxSettings>();
  private readonly metrics: WorkerMetrics;

  constructor(
    readonly settings: WorkerSettings,
    private readonly deps: WorkerDependencies,
  ) {
    this.metrics = deps.metrics ?? new WorkerMetrics();
  }

  offsetReader(connector: string): OffsetStorageReader {
    const store = this.deps.offsetStore;
    return {
      offset: async (partition: SourcePartition) =>
        (await store.offsets(connector, [partition])).get(partition) ?? null,
      offsets: (partitions: readonly SourcePartition[]) =>
        store.offsets(connector, partitions) as Promise<ReadonlyMap<SourcePartition, SourceOffset | null>>,
    };
  }

  private report(connector: string, task: number | null, state: ConnectorStateName, trace?: string): void {
    this.deps.onStatus({
      connector,
      task,
      state,
      workerId: this.settings.workerId,
      ...(trace ? { trace } : {}),
    });
  }

  /** Starts the connector instance; returns false when it failed or its target state is STOPPED. */
  async startConnector(
    name: string,
    config: ConnectorConfig,
    target: TargetState,
    onReconfigure: () => void,
  ): Promise<boolean> {
    if (this.connectors.has(name)) throw new Error(`connector ${name} is already running on this worker`);
    let plugin: ConnectorPlugin;
    try {
      plugin = this.deps.plugins.requireConnector(config['connector.class'] ?? '');
    } catch (error) {
      // A stored config naming a plugin that is no longer installed: the connector is FAILED with the
      // reason, in standalone and distributed mode alike, and the worker runs on.
      this.report(name, null, 'FAILED', traceOf(error));
      this.metrics.recordConnectorStartup(false);
      return false;
    }
    const connector = new WorkerConnector(
      name,
      plugin,
      this.deps.logger(`connector.${name}`),
      this.offsetReader(name),
      onReconfigure,
      (s) => this.report(name, null, s.state, s.trace),
      this.deps.kafkaAccess,
    );
    this.connectors.set(name, connector);
    this.rawConfigs.set(name, config);
    this.metrics.addConnector(name, () => connector.lifecycle.state);
    let resolved: Record<string, string>;
    try {
      resolved = await this.deps.resolveConfig(config);
    } catch (error) {
      connector.lifecycle.transition('FAILED', String((error as Error).stack ?? error));
      this.metrics.recordConnectorStartup(false);
      return false;
    }
    // A stored config may predate the checks a REST write gets now (or be written to the config topic by
    // hand): one that asks for more tasks than this worker allows fails here instead of exhausting the heap.
    const tasks = readTasksMax(resolved, this.settings.tasksMaxLimit);
    if ('issue' in tasks) {
      const error = new SluiceError('INVALID_CONFIG', [1, `${tasks.issue.key}: ${tasks.issue.message}`]);
      connector.lifecycle.transition('FAILED', traceOf(error));
      this.metrics.recordConnectorStartup(false);
      return false;
    }
    this.tasksMax.set(name, tasks.settings);
    const started = await connector.start(resolved, target);
    this.metrics.recordConnectorStartup(connector.lifecycle.state !== 'FAILED');
    return started;
  }

  /**
   * The connector's task configs, held to its tasks.max as Connect does: more configs than that fail the
   * connector (TOO_MANY_TASKS), unless `tasks.max.enforce=false`, which still never goes past the
   * worker's tasks.max.limit.
   */
  async connectorTaskConfigs(name: string): Promise<Record<string, string>[]> {
    const connector = this.connectors.get(name);
    const tasks = this.tasksMax.get(name);
    if (!connector?.isRunning || tasks === undefined) return [];
    const generated = await connector.taskConfigs(tasks.tasksMax);
    const allowed = tasks.enforce ? tasks.tasksMax : this.settings.tasksMaxLimit;
    if (generated.length > allowed) {
      const error = new SluiceError('TOO_MANY_TASKS', [
        name,
        generated.length,
        tasks.tasksMax,
        this.settings.tasksMaxLimit,
      ]);
      connector.fail(error);
      return [];
    }
    if (generated.length > tasks.tasksMax)
      this.deps
        .logger(`connector.${name}`)
        .warn(
          `The connector ${name} has generated ${generated.length} tasks, which is greater than ${tasks.tasksMax}, the maximum number of tasks it is configured to create; they run because tasks.max.enforce=false.`,
        );
    return restorePlaceholders(this.rawConfigs.get(name) ?? {}, generated);
  }

  connectorState(name: string): ConnectorStateName | undefined {
    return this.connectors.get(name)?.lifecycle.state;
  }

  async stopConnector(name: string): Promise<void> {
    const connector = this.connectors.get(name);
    if (connector === undefined) return;
    this.connectors.delete(name);
    this.rawConfigs.delete(name);
    this.tasksMax.delete(name);
    this.metrics.removeConnector(name);
    await connector.stop();
  }

  /** The config with its `${provider:path:key}` placeholders resolved, as tasks and connectors get it. */
  resolveConfig(config: ConnectorConfig): Promise<Record<string, string>> {
    return this.deps.resolveConfig(config);
  }

  async startTask(
    id: ConnectorTaskId,
    connectorConfig: ConnectorConfig,
    taskConfig: ConnectorConfig,
    target: TargetState,
  ): Promise<void> {
    const key = taskKey(id);
    if (this.tasks.has(key))
      throw new Error(`task ${id.connector}-${id.task} is already running on this worker`);
    const logger = this.deps.logger(`task.${id.connector}-${id.task}`);
    const taskMetrics = this.metrics.addTask(id);
    const onStateChange = (s: { state: ConnectorStateName; trace?: string }): void => {
      taskMetrics.status = s.state;
      this.report(id.connector, id.task, s.state, s.trace);
    };
    try {
      const plugin = this.deps.plugins.requireConnector(connectorConfig['connector.class'] ?? '');
      taskMetrics.kind = plugin.type;
      const resolvedConnector = await this.deps.resolveConfig(connectorConfig);
      const resolvedTask = await this.deps.resolveConfig(taskConfig);
      const errors = await createTaskErrorHandling({
        connectorConfig: resolvedConnector,
        id,
        kind: plugin.type,
        taskClass: plugin.className,
        logger,
        kafka: this.deps.kafka,
        producerOverrides: this.clientOverrides('producer.', resolvedConnector),
        adminOverrides: this.clientOverrides('admin.', resolvedConnector),
      });
      taskMetrics.trackErrors(() => errors.handler.metrics.snapshot());
      const env: TaskEnvironment = {
        id,
        taskConfig: resolvedTask,
        converters: createConverters(this.deps.plugins, this.settings.workerConfig, resolvedConnector),
        transformer: this.deps.createTransformer(resolvedConnector),
        errorHandler: errors.handler,
        stopSignal: errors.stopSignal,
        logger,
        onStateChange,
        onTopicUsed: (topic) => this.recordTopic(id.connector, topic),
        offsetFlushIntervalMs: this.settings.offsetFlushIntervalMs,
        offsetFlushTimeoutMs: this.settings.offsetFlushTimeoutMs,
        metrics: taskMetrics,
      };
      const startPaused = target === 'PAUSED';
      // Kafka may be briefly unreachable (restarts, leader moves): retry client creation before failing the task.
      const withRetry = <T>(create: () => Promise<T>): Promise<T> =>
        retryWithBackoff(create, {
          timeoutMs: CLIENT_CREATE_TIMEOUT_MS,
          maxDelayMs: 5_000,
          signal: errors.stopSignal.signal,
        });
      if (plugin.type === 'source') {
        const producer = await withRetry(() =>
          this.deps.kafka.producer({ overrides: this.clientOverrides('producer.', resolvedConnector) }),
        );
        const context = {
          connectorName: id.connector,
          taskId: id.task,
          logger,
          offsetStorageReader: this.offsetReader(id.connector),
          ...(this.deps.kafkaAccess ? { kafka: this.deps.kafkaAccess } : {}),
        };
        const groups = topicCreationGroups(resolvedConnector, this.settings.topicCreationEnable);
        const adminOverrides = this.clientOverrides('admin.', resolvedConnector);
        const topicCreator =
          groups === null
            ? null
            : new TopicCreator(groups, () => this.deps.kafka.admin({ overrides: adminOverrides }));
        const task = new WorkerSourceTask(
          env,
          plugin.createTask(),
          producer,
          this.deps.offsetStore,
          context,
          startPaused,
          topicCreator,
        );
        this.tasks.set(key, task);
        task.start();
        this.metrics.recordTaskStartup(true);
      } else {
        const consumer = await withRetry(() =>
          this.deps.kafka.groupConsumer({
            groupId: resolvedConnector['consumer.override.group.id'] ?? `connect-${id.connector}`,
            topics: sinkTopics(resolvedConnector),
            fromBeginning:
              (resolvedConnector['consumer.override.auto.offset.reset'] ?? 'earliest') === 'earliest',
            // A crashed worker's consumer stays a group member until its session expires, holding its
            // partitions; a short default session hands them over quickly after a kill -9.
            sessionTimeoutMs: Number(
              resolvedConnector['consumer.override.session.timeout.ms'] ??
                this.settings.workerConfig['consumer.session.timeout.ms'] ??
                SINK_SESSION_TIMEOUT_MS,
            ),
            // As in the Java consumer, max.poll.interval.ms is the rebalance timeout: how long the
            // coordinator waits for a member to rejoin (and so how long a join may legitimately take).
            rebalanceTimeoutMs: Number(
              resolvedConnector['consumer.override.max.poll.interval.ms'] ??
                this.settings.workerConfig['consumer.max.poll.interval.ms'] ??
                SINK_REBALANCE_TIMEOUT_MS,
            ),
            metadataMaxAgeMs: Number(
              resolvedConnector['consumer.override.metadata.max.age.ms'] ??
                this.settings.workerConfig['consumer.metadata.max.age.ms'] ??
                300_000,
            ),
            overrides: this.clientOverrides('consumer.', resolvedConnector),
          }),
        );
        const context = new WorkerSinkTaskContext(id.connector, id.task, logger, errors.errantRecordReporter);
        const task = new WorkerSinkTask(
          env,
          plugin.createTask(),
          consumer,
          context,
          errors.consumedIndex,
          startPaused,
        );
        this.tasks.set(key, task);
        await task.start();
        this.metrics.recordTaskStartup(task.lifecycle.state !== 'FAILED');
      }
    } catch (error) {
      this.metrics.recordTaskStartup(false);
      if (!this.tasks.has(key)) {
        // Report the failure through a throwaway task state so status shows FAILED with the reason.
        onStateChange({
          state: 'FAILED',
          trace: error instanceof Error ? (error.stack ?? error.message) : String(error),
        });
      }
      logger.error('task could not start', { error: String(error) });
    }
  }

  private clientOverrides(prefix: string, connectorConfig: ConnectorConfig): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.settings.workerConfig))
      if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    const overridePrefix = `${prefix.slice(0, -1)}.override.`;
    for (const [k, v] of Object.entries(connectorConfig))
      if (k.startsWith(overridePrefix)) out[k.slice(overridePrefix.length)] = v;
    return out;
  }

  async stopTask(id: ConnectorTaskId): Promise<void> {
    const key = taskKey(id);
    this.metrics.removeTask(id);
    const task = this.tasks.get(key);
    if (task === undefined) return;
    this.tasks.delete(key);
    await task.stop(this.settings.gracefulShutdownMs);
  }

  runningTasks(connector: string): ConnectorTaskId[] {
    return [...this.tasks.keys()].map(parseTaskKey).filter((id) => id.connector === connector);
  }

  setTargetState(connector: string, target: TargetState): void {
    this.connectors.get(connector)?.setTargetState(target);
    for (const id of this.runningTasks(connector)) {
      const task = this.tasks.get(taskKey(id));
      if (target === 'PAUSED') task?.pause();
      else if (target === 'STARTED') task?.resume();
    }
  }

  private recordTopic(connector: string, topic: string): void {
    let set = this.topics.get(connector);
    if (set === undefined) this.topics.set(connector, (set = new Set()));
    set.add(topic);
  }

  activeTopics(connector: string): string[] {
    return [...(this.topics.get(connector) ?? [])].sort();
  }

  resetActiveTopics(connector: string): void {
    this.topics.delete(connector);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.tasks.keys()].map((k) => this.stopTask(parseTaskKey(k))));
    await Promise.all([...this.connectors.keys()].map((name) => this.stopConnector(name)));
  }
}

export function sinkTopics(config: ConnectorConfig): string[] | RegExp {
  const regex = config['topics.regex']?.trim();
  if (regex) return new RegExp(`^(?:${regex})$`);
  const topics = (config['topics'] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  if (topics.length === 0) throw new SluiceError('CONFIG_MISSING', ['topics']);
  return topics;
}
