import type { Header, SinkRecord, TopicPartition, TopicPartitionOffset } from '../api/records.js';
import { topicPartitionKey } from '../api/records.js';
import type { SinkTask } from '../api/task.js';
import type { ConsumedRecordIndex } from '../errors/consumed-record.js';
import type { ProcessingContext } from '../errors/error-reporter.js';
import type { Stage } from '../errors/stage.js';
import { isRetryable, traceOf } from '../errors/sluice-error.js';
import type {
  ConsumedMessage,
  ConsumerBatch,
  GroupJoinWait,
  KafkaGroupConsumer,
  KafkaHeader,
  PartitionRef,
} from '../kafka/types.js';
import { TaskMetrics } from '../metrics/task-metrics.js';
import { Lifecycle } from './lifecycle.js';
import { SerialQueue } from './serial-queue.js';
import type { WorkerSinkTaskContext } from './sink-task-context.js';
import { WakeSignal } from './signal.js';
import type { TaskEnvironment } from './task-environment.js';

const DEFAULT_RETRY_BACKOFF_MS = 1_000;
const NO_HEADERS: readonly Header[] = Object.freeze([]);

type MutableContext = { -readonly [K in keyof ProcessingContext]: ProcessingContext[K] };

/**
 * Runs one sink task: consume → convert → transform → put, and commits consumer-group offsets only for
 * records the task said are durable (flush/preCommit), every offset.flush.interval.ms, on rebalance and on stop.
 */
export class WorkerSinkTask {
  readonly lifecycle: Lifecycle;
  private readonly queue = new SerialQueue();
  private readonly wake = new WakeSignal();
  private stopping = false;
  private paused: boolean;
  private assigned = new Map<string, PartitionRef>();
  /** next offset to read, per partition, for records handed to put() */
  private readonly current = new Map<string, TopicPartitionOffset>();
  private readonly committed = new Map<string, number>();
  /** Where delivery of each partition started, for a rewind before anything was committed. */
  private readonly firstDelivered = new Map<string, number>();
  private lastCommit = Date.now();
  private commitTimer: NodeJS.Timeout | null = null;
  /** Filled only when a record fails; reporters copy what they keep. */
  private readonly failureContext: MutableContext;
  private readonly metrics: TaskMetrics;

  constructor(
    private readonly env: TaskEnvironment,
    private readonly task: SinkTask,
    private readonly consumer: KafkaGroupConsumer,
    private readonly context: WorkerSinkTaskContext,
    private readonly consumedIndex: ConsumedRecordIndex | null,
    startPaused: boolean,
  ) {
    this.lifecycle = new Lifecycle(`task ${env.id.connector}-${env.id.task}`, env.onStateChange);
    this.paused = startPaused;
    this.failureContext = { connector: env.id.connector, taskId: env.id.task };
    this.metrics = env.metrics ?? new TaskMetrics(env.id);
    context.onPauseChange = () => this.applyPauses();
  }

  async start(): Promise<void> {
    try {
      await this.task.start(this.env.taskConfig, this.context);
      this.lifecycle.transition(this.paused ? 'PAUSED' : 'RUNNING');
      void this.consumer
        .run({
          // A throwing open()/close() fails this task (as in Connect), never the worker process.
          onAssignment: (partitions) =>
            this.queue.run(() => this.onAssignment(partitions)).catch((error: unknown) => this.fail(error)),
          // A batch waits here behind open(): when open() asked for a seek, the batch is stale and not delivered.
          onBatch: (batch, control) =>
            this.queue.run(async () => (control.isStale() ? false : this.onBatch(batch, control.heartbeat))),
          onStop: (error) => {
            if (error && !this.stopping) this.fail(error);
          },
          onJoinWait: (wait) => this.reportJoinWait(wait),
        })
        .catch((error: unknown) => this.fail(error));
      this.commitTimer = setInterval(
        () => {
          if (!this.stopping) void this.queue.run(() => this.maybeCommit()).catch(() => undefined);
        },
        Math.min(1_000, this.env.offsetFlushIntervalMs),
      );
    } catch (error) {
      this.fail(error);
    }
  }

  pause(): void {
    this.paused = true;
    if (this.lifecycle.state === 'RUNNING') this.lifecycle.transition('PAUSED');
    this.applyPauses();
  }

  resume(): void {
    this.paused = false;
    if (this.lifecycle.state === 'PAUSED') this.lifecycle.transition('RUNNING');
    this.applyPauses();
    this.wake.wake();
  }

  private applyPauses(): void {
    const all = [...this.assigned.values()];
    if (this.paused) {
      this.consumer.pause(all);
      return;
    }
    const pausedByTask = all.filter((tp) => this.context.pausedByTask.has(topicPartitionKey(tp)));
    const active = all.filter((tp) => !this.context.pausedByTask.has(topicPartitionKey(tp)));
    this.consumer.pause(pausedByTask);
    this.consumer.resume(active);
  }

  async stop(gracefulTimeoutMs: number): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.wake.wake();
    this.env.stopSignal.abort(new Error('task stopping'));
    if (this.commitTimer) clearInterval(this.commitTimer);
    const shutdown = async (): Promise<void> => {
      await this.queue.run(async () => {
        if (this.lifecycle.state !== 'FAILED') await this.commit();
        const partitions = [...this.assigned.values()];
        if (partitions.length > 0) await this.task.close?.(partitions);
      });
      await this.consumer.close().catch(() => undefined);
      await Promise.resolve(this.task.stop());
    };
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      shutdown().catch((error: unknown) =>
        this.env.logger.warn('error while stopping sink task', { error: String(error) }),
      ),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, gracefulTimeoutMs))),
    ]);
    clearTimeout(timer);
    // Past the graceful timeout the consumer must still leave its group: a stopped task that stays a
    // member keeps its partitions assigned and nobody else consumes them. (A no-op when already closed.)
    void this.consumer.close().catch(() => undefined);
    await this.env.errorHandler.close().catch(() => undefined);
    this.env.transformer.close();
    if (this.lifecycle.state !== 'FAILED') this.lifecycle.transition('UNASSIGNED');
  }

  /** Says in the log, and in the status until the next assignment, what the task waits for. */
  private reportJoinWait(wait: GroupJoinWait): void {
    if (this.stopping) return;
    const seconds = Math.round(wait.waitedMs / 1000);
    this.env.logger.info(
      `waiting for a partition assignment from consumer group ${wait.groupId} for ${seconds} s`,
      { groupId: wait.groupId, waitedMs: wait.waitedMs, freshMembers: wait.freshMembers },
    );
    const since = new Date(wait.since).toISOString();
    const fresh = wait.freshMembers > 0 ? `, rejoined as a fresh member ${wait.freshMembers} time(s)` : '';
    // Reported once per member, not every few seconds: in distributed mode each report is a status record.
    this.lifecycle.annotate(
      `Waiting for a partition assignment from consumer group ${wait.groupId} (since ${since}${fresh})`,
    );
  }

  private async onAssignment(partitions: readonly PartitionRef[]): Promise<void> {
    this.lifecycle.annotate(undefined);
    const next = new Map(partitions.map((p) => [topicPartitionKey(p), p] as const));
    const revoked = [...this.assigned].filter(([k]) => !next.has(k)).map(([, p]) => p);
    const added = [...next].filter(([k]) => !this.assigned.has(k)).map(([, p]) => p);
    if (revoked.length > 0 || added.length > 0)
      this.env.logger.info('partition assignment changed', {
        revoked: revoked.map(topicPartitionKey),
        added: added.map(topicPartitionKey),
      });
    if (revoked.length > 0) {
      await this.commit().catch(() => undefined);
      await this.task.close?.(revoked);
      this.metrics.forgetPartitions(revoked.map(topicPartitionKey));
      for (const tp of revoked) {
        this.current.delete(topicPartitionKey(tp));
        this.committed.delete(topicPartitionKey(tp));
        this.firstDelivered.delete(topicPartitionKey(tp));
      }
    }
    this.assigned = next;
    this.context.setAssignment([...next.values()]);
    if (added.length > 0) await this.task.open?.(added);
    // Positions the task asked for in start() or open() (e.g. offsets it keeps in its own store) apply before
    // the first fetch of those partitions is delivered; a batch fetched before the seek is stale (see run()).
    this.applyRewinds();
    this.applyPauses();
  }

  /**
   * Converts and transforms one consumed record; null when a tolerated failure skipped it. Runs inline
   * with one try/catch and a reused context, so the success path allocates nothing but the record.
   */
  private toSinkRecord(message: ConsumedMessage): SinkRecord | null {
    const { converters, errorHandler, transformer } = this.env;
    let stage: Stage = 'KEY_CONVERTER';
    try {
      const key = converters.key.toConnectData(message.topic, message.key);
      stage = 'VALUE_CONVERTER';
      const value = converters.value.toConnectData(message.topic, message.value);
      stage = 'HEADER_CONVERTER';
      const headers =
        message.headers.length === 0
          ? NO_HEADERS
          : message.headers.map((h) => this.convertHeader(message.topic, h));
      const record: SinkRecord = {
        topic: message.topic,
        kafkaPartition: message.partition,
        kafkaOffset: message.offset,
        timestamp: message.timestampType === 'NoTimestampType' ? null : message.timestamp,
        timestampType: message.timestampType,
        keySchema: key.schema,
        key: key.value,
        valueSchema: value.schema,
        value: value.value,
        headers,
        originalTopic: message.topic,
        originalKafkaPartition: message.partition,
        originalKafkaOffset: message.offset,
      };
      stage = 'TRANSFORMATION';
      return transformer.apply(record);
    } catch (error) {
      this.failureContext.consumedRecord = message;
      this.failureContext.executingClass = this.classOf(stage);
      errorHandler.failSync(stage, error, this.failureContext);
      return null;
    }
  }

  private convertHeader(topic: string, header: KafkaHeader): Header {
    const converted = this.env.converters.header.toConnectHeader(topic, header.key, header.value);
    return { key: header.key, schema: converted.schema, value: converted.value };
  }

  private classOf(stage: Stage): string | undefined {
    const { converters } = this.env;
    if (stage === 'KEY_CONVERTER') return converters.keyClass;
    if (stage === 'VALUE_CONVERTER') return converters.valueClass;
    if (stage === 'HEADER_CONVERTER') return converters.headerClass;
    return undefined;
  }

  /** A failure that is not tolerated (conversion with errors.tolerance=none, …) fails the task, never the consumer. */
  private async onBatch(batch: ConsumerBatch, heartbeat: () => Promise<void>): Promise<boolean> {
    try {
      return await this.deliverBatch(batch, heartbeat);
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  private async deliverBatch(batch: ConsumerBatch, heartbeat: () => Promise<void>): Promise<boolean> {
    const tpKey = topicPartitionKey(batch);
    if (this.stopping || this.paused || this.lifecycle.state === 'FAILED' || !this.assigned.has(tpKey))
      return false;
    if (this.context.pausedByTask.has(tpKey)) return false;
    this.metrics.recordRead(batch.messages.length, Date.now());
    // By the topic consumed (a transform may rename a record's topic before put()).
    this.metrics.countTopics(batch.messages);
    if (!this.firstDelivered.has(tpKey) && batch.messages.length > 0)
      this.firstDelivered.set(tpKey, batch.messages[0]!.offset);
    // Connect's topic tracking: a topic counts as used once records of it are consumed, not when assigned.
    if (batch.messages.length > 0) this.env.onTopicUsed(batch.topic);
    const records: SinkRecord[] = [];
    for (const message of batch.messages) {
      const record = this.toSinkRecord(message);
      if (record === null) continue;
      this.consumedIndex?.remember(record, message);
      records.push(record);
    }
    const delivered = await this.putWithRetry(records, heartbeat);
    if (!delivered) return false;
    const last = batch.messages[batch.messages.length - 1]!;
    this.current.set(tpKey, { topic: batch.topic, partition: batch.partition, offset: last.offset + 1 });
    this.metrics.recordLag(tpKey, batch.highWatermark - (last.offset + 1));
    this.applyRewinds();
    await this.maybeCommit();
    return true;
  }

  /** Puts the batch, redelivering it after retriable errors until it succeeds or the task stops. */
  private async putWithRetry(
    records: readonly SinkRecord[],
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        const started = Date.now();
        await this.task.put(records);
        const now = Date.now();
        this.metrics.recordPut(records.length, now - started, now);
        return true;
      } catch (error) {
        if (!isRetryable(error)) {
          this.fail(error);
          return false;
        }
        const wait =
          this.context.timeoutMs > 0
            ? this.context.timeoutMs
            : Math.min(DEFAULT_RETRY_BACKOFF_MS * attempt, 10_000);
        this.context.timeoutMs = -1;
        this.env.logger.warn(
          `put failed with a retriable error (attempt ${attempt}); redelivering in ${wait} ms`,
          {
            error: String(error),
          },
        );
        await this.wake.wait(wait);
        if (this.stopping) return false;
        await heartbeat().catch(() => undefined);
      }
    }
  }

  private rewindToCommitted(): string[] {
    const rewound: string[] = [];
    for (const [key, position] of this.current) {
      const offset = this.committed.get(key) ?? this.firstDelivered.get(key);
      if (offset === undefined || offset === position.offset) continue;
      this.consumer.seek({ topic: position.topic, partition: position.partition, offset });
      this.current.set(key, { ...position, offset });
      rewound.push(`${key}@${offset}`);
    }
    return rewound;
  }

  /** Seeks where the task asked; requests for partitions not assigned (yet) wait for their assignment. */
  private applyRewinds(): void {
    for (const { tp, offset } of this.context.takeRewinds()) {
      const key = topicPartitionKey(tp);
      if (!this.assigned.has(key)) {
        this.context.offset(tp, offset);
        continue;
      }
      this.consumer.seek({ topic: tp.topic, partition: tp.partition, offset });
      this.current.set(key, { topic: tp.topic, partition: tp.partition, offset });
    }
  }

  private async maybeCommit(): Promise<void> {
    if (this.context.commitRequested || Date.now() - this.lastCommit >= this.env.offsetFlushIntervalMs)
      await this.commit();
  }

  /** Asks the task which offsets are durable (preCommit, or flush then all) and commits those to the group. */
  private async commit(): Promise<void> {
    const started = (this.lastCommit = Date.now());
    this.context.commitRequested = false;
    const current = [...this.current.values()];
    if (current.length === 0) return;
    let safe: readonly TopicPartitionOffset[];
    try {
      if (this.task.preCommit) safe = await this.task.preCommit(current);
      else {
        await this.task.flush?.(current);
        safe = current;
      }
    } catch (error) {
      this.metrics.recordOffsetCommit(false, Date.now() - started);
      // As Connect: rewind to the last committed offsets, so the task sees the records again and can
      // retry what it could not make durable (put is where a task's errors fail it).
      const rewound = this.stopping ? [] : this.rewindToCommitted();
      this.env.logger.error(
        `flush failed; offsets not committed${rewound.length > 0 ? `, rewound ${rewound.join(', ')} to the last committed offsets` : ''}`,
        { error: String(error) },
      );
      return;
    }
    const changed = safe.filter(
      (o) => this.assigned.has(topicPartitionKey(o)) && this.committed.get(topicPartitionKey(o)) !== o.offset,
    );
    if (changed.length === 0) return;
    try {
      // Never move an offset past a record whose dead letter queue write is not yet durable.
      await this.env.errorHandler.awaitReports();
    } catch (error) {
      this.fail(error);
      return;
    }
    try {
      await this.consumer.commit(changed);
      this.metrics.recordOffsetCommit(true, Date.now() - started);
      for (const o of changed) this.committed.set(topicPartitionKey(o), o.offset);
      this.env.logger.debug('committed', {
        offsets: changed.map((o) => `${topicPartitionKey(o)}@${o.offset}`),
      });
    } catch (error) {
      this.metrics.recordOffsetCommit(false, Date.now() - started);
      this.env.logger.warn('offset commit failed; will retry', { error: String(error) });
    }
  }

  /** Currently assigned partitions, for status and tests. */
  assignment(): TopicPartition[] {
    return [...this.assigned.values()];
  }

  private fail(error: unknown): void {
    this.env.logger.error('task failed', { error: traceOf(error) });
    if (this.lifecycle.state !== 'FAILED') this.lifecycle.transition('FAILED', traceOf(error));
    this.consumer.pause([...this.assigned.values()]);
  }
}
