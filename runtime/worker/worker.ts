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
import type { ConnectorOffsetStores } from '../storage/connector-offset-stores.js';
import { isTransactionalOffsetStore, type OffsetStore } from '../storage/offset-store.js';
import type { TaskMetrics } from '../metrics/task-metrics.js';
import { AtLeastOnceDelivery } from './at-least-once-delivery.js';
import type { SourceDelivery } from './source-delivery.js';
import { TransactionalDelivery, type TransactionBoundary } from './transactional-delivery.js';
import { createConverters } from './converter-factory.js';
import { restorePlaceholders } from './restore-placeholders.js';
import { taskClassNameOf, type PluginRegistry } from './plugin-registry.js';
import { taskClientId } from './task-client-ids.js';
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
  /** Worker `exactly.once.source.support=enabled`: source tasks write records and offsets in Kafka transactions. */
  readonly exactlyOnceSource?: boolean;
  /**
   * Prefix of source tasks' transactional ids, `<prefix>-<connector>-<task>`: the group.id in distributed
   * mode (as Connect), the offsets topic in standalone mode.
   */
  readonly transactionalIdPrefix?: string;
  /** Worker `topic.tracking.enable` (default true): report the topics tasks use (onTopicUsed). */
  readonly topicTrackingEnable?: boolean;
}

export interface StatusEvent {
  readonly connector: string;
  /** null for the connector itself */
  readonly task: number | null;
  readonly state: ConnectorStateName;
  readonly trace?: string;
  readonly workerId: string;
  /** The version of the connector or task running (Connect 4.x shows it in status); unknown before it started. */
  readonly version?: string;
}

/** A topic a task produced to or consumed from (Connect's topic tracking, KIP-558). */
export interface TopicUsedEvent {
  readonly connector: string;
  readonly task: number;
  readonly topic: string;
  /** When the task used it, epoch ms. */
  readonly timestamp: number;
}

/** Everything the worker needs from outside; the composition root (CLI) wires the real pieces. */
export interface WorkerDependencies {
  readonly plugins: PluginRegistry;
  readonly kafka: KafkaClient;
  /** Source offsets: the worker's store, or a connector's own `offsets.storage.topic` in front of it. */
  readonly offsetStores: ConnectorOffsetStores;
  readonly logger: (name: string) => Logger;
  /** Resolves ${provider:...} placeholders just before a connector or task starts. */
  readonly resolveConfig: (config: ConnectorConfig) => Promise<Record<string, string>>;
  readonly createTransformer: (connectorConfig: ConnectorConfig) => RecordTransformer;
  readonly onStatus: (event: StatusEvent) => void;
  /**
   * Called for the topics of every batch a task produced or consumed (not once only: a reset of the
   * connector's topics must see them again, as in Connect); the herder records those it has not yet.
   */
  readonly onTopicUsed: (event: TopicUsedEvent) => void;
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

  offsetReader(connector: string, config: ConnectorConfig): OffsetStorageReader {
    const store = (): Promise<OffsetStore> => this.deps.offsetStores.forConnector(config);
    return {
      offset: async (partition: SourcePartition) =>
        (await (await store()).offsets(connector, [partition])).get(partition) ?? null,
      offsets: async (partitions: readonly SourcePartition[]) =>
        (await store()).offsets(connector, partitions) as Promise<
          ReadonlyMap<SourcePartition, SourceOffset | null>
        >,
    };
  }

  private report(
    connector: string,
    task: number | null,
    state: ConnectorStateName,
    trace?: string,
    version?: string,
  ): void {
    this.logLifecycle(connector, task, state, trace);
    // What stopped here runs no version any more: Connect's UNASSIGNED statuses carry none.
    const running = state === 'UNASSIGNED' ? undefined : version;
    this.deps.onStatus({
      connector,
      task,
      state,
      workerId: this.settings.workerId,
      ...(trace ? { trace } : {}),
      ...(running ? { version: running } : {}),
    });
  }

  /**
   * One line per state change, on the logger of the connector or task, so an operator sees pause,
   * resume, stop and failure in the log as they see them in status; a failure gives its first trace line.
   */
  private logLifecycle(
    connector: string,
    task: number | null,
    state: ConnectorStateName,
    trace?: string,
  ): void {
    const subject = task === null ? `connector ${connector}` : `task ${connector}-${task}`;
    const logger = this.deps.logger(task === null ? `connector.${connector}` : `task.${connector}-${task}`);
    const fields = { connector, ...(task === null ? {} : { task }), state };
    if (state === 'FAILED') logger.error(`${subject} is FAILED: ${(trace ?? '').split('\n')[0]}`, fields);
    else logger.info(`${subject} is ${state}`, fields);
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
      this.offsetReader(name, config),
      onReconfigure,
      (s) => this.report(name, null, s.state, s.trace, plugin.version),
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
    // Connect adds the task's class to every task config (TaskConfig's task.class).
    const taskClass = taskClassNameOf(connector.plugin);
    return restorePlaceholders(this.rawConfigs.get(name) ?? {}, generated).map((config) => ({
      ...config,
      'task.class': taskClass,
    }));
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
    // Known once the plugin is found: a task that fails before has no version, as in Connect.
    let version: string | undefined;
    const onStateChange = (s: { state: ConnectorStateName; trace?: string }): void => {
      taskMetrics.status = s.state;
      this.report(id.connector, id.task, s.state, s.trace, version);
    };
    try {
      const plugin = this.deps.plugins.requireConnector(connectorConfig['connector.class'] ?? '');
      version = plugin.version;
      taskMetrics.kind = plugin.type;
      const resolvedConnector = await this.deps.resolveConfig(connectorConfig);
      const resolvedTask = await this.deps.resolveConfig(taskConfig);
      const errors = await createTaskErrorHandling({
        connectorConfig: resolvedConnector,
        id,
        kind: plugin.type,
        taskClass: taskClassNameOf(plugin),
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
        onTopicUsed: (topic) => this.recordTopic(id, topic),
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
        const task = plugin.createTask();
        const producerOverrides = this.clientOverrides('producer.', resolvedConnector);
        let createDelivery: (metrics: TaskMetrics) => SourceDelivery;
        const offsetStore = await this.deps.offsetStores.forConnector(resolvedConnector);
        if (this.settings.exactlyOnceSource === true) {
          if (!isTransactionalOffsetStore(offsetStore))
            throw new Error('exactly-once source support needs offsets in a Kafka topic');
          const boundary = transactionBoundary(resolvedConnector, this.settings.offsetFlushIntervalMs);
          const producer = await withRetry(() =>
            this.deps.kafka.transactionalProducer({
              transactionalId: this.transactionalId(id),
              clientId: taskClientId('producer', id),
              overrides: producerOverrides,
            }),
          );
          logger.info(
            `exactly once: records and offsets in Kafka transactions (transactional id ${producer.transactionalId}, transaction.boundary=${boundary.kind})`,
          );
          createDelivery = (metrics) =>
            new TransactionalDelivery(env, task, producer, offsetStore, boundary, metrics);
        } else {
          const producer = await withRetry(() =>
            this.deps.kafka.producer({
              clientId: taskClientId('producer', id),
              overrides: producerOverrides,
            }),
          );
          createDelivery = (metrics) => new AtLeastOnceDelivery(env, task, producer, offsetStore, metrics);
        }
        const context = {
          connectorName: id.connector,
          taskId: id.task,
          logger,
          metrics: taskMetrics.plugin,
          offsetStorageReader: this.offsetReader(id.connector, resolvedConnector),
          ...(this.deps.kafkaAccess ? { kafka: this.deps.kafkaAccess } : {}),
        };
        const groups = topicCreationGroups(resolvedConnector, this.settings.topicCreationEnable);
        const adminOverrides = this.clientOverrides('admin.', resolvedConnector);
        const topicCreator =
          groups === null
            ? null
            : new TopicCreator(groups, () =>
                this.deps.kafka.admin({
                  clientId: taskClientId('adminclient', id),
                  overrides: adminOverrides,
                }),
              );
        const workerTask = new WorkerSourceTask(
          env,
          task,
          createDelivery,
          context,
          startPaused,
          topicCreator,
        );
        this.tasks.set(key, workerTask);
        workerTask.start();
        this.metrics.recordTaskStartup(true);
      } else {
        const consumer = await withRetry(() =>
          this.deps.kafka.groupConsumer({
            clientId: taskClientId('consumer', id),
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
        const context = new WorkerSinkTaskContext(
          id.connector,
          id.task,
          logger,
          errors.errantRecordReporter,
          taskMetrics.plugin,
        );
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

  /** Connect's transactional id of an exactly-once source task. */
  private transactionalId(id: ConnectorTaskId): string {
    return `${this.settings.transactionalIdPrefix ?? 'sluice'}-${id.connector}-${id.task}`;
  }

  /**
   * KIP-618's zombie fencing round, run before a source connector's new task configs are published: every
   * task of the previous generation is fenced, so one left running on a worker that lost it (or a task
   * id the new generation no longer has) cannot commit another transaction. Nothing to do without
   * exactly-once support or for sinks.
   */
  async fenceZombies(
    connector: string,
    connectorConfig: ConnectorConfig,
    previousTaskCount: number,
  ): Promise<void> {
    if (this.settings.exactlyOnceSource !== true || previousTaskCount === 0) return;
    const plugin = this.deps.plugins.connector(connectorConfig['connector.class'] ?? '');
    if (plugin?.type !== 'source') return;
    const ids = Array.from({ length: previousTaskCount }, (_, task) =>
      this.transactionalId({ connector, task }),
    );
    await this.deps.kafka.fenceProducers(ids);
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

  private recordTopic(id: ConnectorTaskId, topic: string): void {
    if (this.settings.topicTrackingEnable === false) return;
    this.deps.onTopicUsed({ connector: id.connector, task: id.task, topic, timestamp: Date.now() });
  }

  async stop(): Promise<void> {
    await Promise.all([...this.tasks.keys()].map((k) => this.stopTask(parseTaskKey(k))));
    await Promise.all([...this.connectors.keys()].map((name) => this.stopConnector(name)));
  }
}

/** The connector's transaction.boundary (Connect's keys; the interval defaults to offset.flush.interval.ms). */
export function transactionBoundary(
  config: ConnectorConfig,
  offsetFlushIntervalMs: number,
): TransactionBoundary {
  const kind = (config['transaction.boundary'] ?? 'poll').trim().toLowerCase();
  if (kind === 'poll') return { kind };
  if (kind === 'interval') {
    const raw = config['transaction.boundary.interval.ms'];
    return { kind, intervalMs: raw === undefined || raw.trim() === '' ? offsetFlushIntervalMs : Number(raw) };
  }
  throw new SluiceError('CONFIG_INVALID_VALUE', [
    kind,
    'transaction.boundary',
    kind === 'connector'
      ? 'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.'
      : 'String must be one of: poll, interval, connector',
  ]);
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
