import type { Header, SourceRecord } from '../api/records.js';
import type { SourceTask, SourceTaskContext } from '../api/task.js';
import type { ProcessingContext } from '../errors/error-reporter.js';
import type { Stage } from '../errors/stage.js';
import { isRetryable, traceOf } from '../errors/sluice-error.js';
import type { KafkaHeader, OutgoingMessage } from '../kafka/types.js';
import { TaskMetrics } from '../metrics/task-metrics.js';
import { Lifecycle } from './lifecycle.js';
import { WakeSignal } from './signal.js';
import type { ConvertedRecord, PreparedBatch, SourceDelivery } from './source-delivery.js';
import type { TaskEnvironment } from './task-environment.js';
import type { TopicCreator } from './topic-creation.js';

const RETRIABLE_POLL_BACKOFF_MS = 1_000;

const NO_HEADERS: readonly KafkaHeader[] = Object.freeze([]);

type MutableContext = { -readonly [K in keyof ProcessingContext]: ProcessingContext[K] };

/**
 * Runs one source task: poll → transform → convert → produce, through a SourceDelivery that decides how
 * records and offsets are committed: at least once (offsets stored after Kafka acknowledged every record
 * before them, every offset.flush.interval.ms and on stop) or exactly once (one Kafka transaction).
 */
export class WorkerSourceTask {
  readonly lifecycle: Lifecycle;
  private stopping = false;
  private paused = false;
  private readonly wake = new WakeSignal();
  private loop: Promise<void> | null = null;
  private readonly knownTopics = new Set<string>();
  /** Filled only when a record fails; reporters copy what they keep. */
  private readonly failureContext: MutableContext;
  private readonly metrics: TaskMetrics;
  private readonly delivery: SourceDelivery;
  private failed = false;

  constructor(
    private readonly env: TaskEnvironment,
    private readonly task: SourceTask,
    createDelivery: (metrics: TaskMetrics) => SourceDelivery,
    private readonly context: SourceTaskContext,
    startPaused: boolean,
    private readonly topicCreator: TopicCreator | null = null,
  ) {
    this.lifecycle = new Lifecycle(`task ${env.id.connector}-${env.id.task}`, env.onStateChange);
    this.paused = startPaused;
    this.failureContext = { connector: env.id.connector, taskId: env.id.task };
    this.metrics = env.metrics ?? new TaskMetrics(env.id);
    this.delivery = createDelivery(this.metrics);
  }

  start(): void {
    this.loop = this.run();
  }

  pause(): void {
    this.paused = true;
    if (this.lifecycle.state === 'RUNNING') this.lifecycle.transition('PAUSED');
  }

  resume(): void {
    this.paused = false;
    if (this.lifecycle.state === 'PAUSED') this.lifecycle.transition('RUNNING');
    this.wake.wake();
  }

  /** Stops polling, asks the task to stop, commits acknowledged offsets; bounded by the graceful timeout. */
  async stop(gracefulTimeoutMs: number): Promise<void> {
    if (this.stopping) return this.loop ?? undefined;
    this.stopping = true;
    this.wake.wake();
    const stopTask = Promise.resolve()
      .then(() => this.task.stop())
      .catch((error: unknown) => this.env.logger.warn('task stop() failed', { error: String(error) }));
    const finished = Promise.all([this.loop, stopTask]);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      finished.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), gracefulTimeoutMs))),
    ]);
    clearTimeout(timer);
    // The batch in flight was given the graceful timeout to be acknowledged; only now are retries cut short.
    this.env.stopSignal.abort(new Error('task stopping'));
    if (timedOut)
      this.env.logger.warn(
        `task did not stop within ${gracefulTimeoutMs} ms; committing what Kafka acknowledged`,
      );
    // A failed task's open transaction is aborted, as is one the loop may still be writing after the timeout;
    // what was acknowledged at least once stays committable.
    if (this.failed || timedOut) await this.delivery.abandon();
    await this.commitOffsets();
    await this.delivery.close().catch(() => undefined);
    await this.env.errorHandler.close().catch(() => undefined);
    this.env.transformer.close();
    if (this.lifecycle.state !== 'FAILED') this.lifecycle.transition('UNASSIGNED');
  }

  /**
   * The loop keeps one batch in flight: while Kafka acknowledges batch n, batch n+1 is polled and
   * converted. Sends stay sequential, so offsets are still acknowledged in order.
   */
  private async run(): Promise<void> {
    let inFlight: Promise<void> | null = null;
    try {
      await this.task.start(this.env.taskConfig, this.context);
      if (this.stopping) return;
      this.lifecycle.transition(this.paused ? 'PAUSED' : 'RUNNING');
      while (!this.stopping) {
        if (this.paused) {
          if (inFlight) await inFlight;
          inFlight = null;
          await this.commitOffsets();
          await this.wake.wait(1_000);
          continue;
        }
        const records = await this.pollOnce();
        if (this.stopping && (records === null || records.length === 0)) break;
        if (records !== null && records.length > 0) {
          const batch = await this.prepare(records);
          if (inFlight) await inFlight;
          inFlight = this.delivery.deliver(batch);
          // Observed at once: a send that fails while the loop awaits the next poll must not be an unhandled
          // rejection (that ends the process); the await below still throws it.
          inFlight.catch(() => undefined);
        }
        await this.delivery.commitIfDue(inFlight);
      }
      if (inFlight) await inFlight;
    } catch (error) {
      if (inFlight) await inFlight.catch(() => undefined);
      if (this.stopping && this.env.stopSignal.signal.aborted) return;
      this.fail(error);
    }
  }

  private async pollOnce(): Promise<readonly SourceRecord[] | null> {
    try {
      const started = Date.now();
      const records = await this.task.poll();
      if (records !== null) {
        const now = Date.now();
        this.metrics.recordPoll(records.length, now - started, now);
      }
      return records;
    } catch (error) {
      if (!isRetryable(error)) throw error;
      this.env.logger.warn('poll failed with a retriable error; polling again', { error: String(error) });
      await this.wake.wait(RETRIABLE_POLL_BACKOFF_MS);
      return null;
    }
  }

  /**
   * Transforms and converts one record; message null when a transform dropped it or a tolerated failure
   * skipped it. One try/catch and a reused failure context keep the success path allocation-free.
   */
  private convert(record: SourceRecord): ConvertedRecord {
    const { converters, transformer } = this.env;
    let stage: Stage = 'TRANSFORMATION';
    try {
      const transformed = transformer.apply(record);
      if (transformed === null) return { original: record, message: null };
      const topic = transformed.topic;
      stage = 'HEADER_CONVERTER';
      const headers =
        transformed.headers.length === 0 ? NO_HEADERS : this.convertHeaders(topic, transformed.headers);
      stage = 'KEY_CONVERTER';
      const key = converters.key.fromConnectData(
        topic,
        transformed.keySchema,
        transformed.key,
        transformed.headers,
      );
      stage = 'VALUE_CONVERTER';
      const value = converters.value.fromConnectData(
        topic,
        transformed.valueSchema,
        transformed.value,
        transformed.headers,
      );
      return {
        original: record,
        message: {
          topic,
          partition: transformed.kafkaPartition,
          key,
          value,
          timestamp: transformed.timestamp,
          headers,
        },
      };
    } catch (error) {
      this.failureContext.sourceRecord = record;
      this.failureContext.executingClass =
        stage === 'KEY_CONVERTER'
          ? converters.keyClass
          : stage === 'VALUE_CONVERTER'
            ? converters.valueClass
            : stage === 'HEADER_CONVERTER'
              ? converters.headerClass
              : undefined;
      this.env.errorHandler.failSync(stage, error, this.failureContext);
      return { original: record, message: null };
    }
  }

  private convertHeaders(topic: string, headers: readonly Header[]): KafkaHeader[] {
    return headers.map((h) => ({
      key: h.key,
      value: this.env.converters.header.fromConnectHeader(topic, h.key, h.schema, h.value),
    }));
  }

  /** Converts a polled batch and makes sure its topics exist (topic.creation.*). */
  private async prepare(records: readonly SourceRecord[]): Promise<PreparedBatch> {
    const converted = records.map((r) => this.convert(r));
    const messages: OutgoingMessage[] = [];
    const topics = new Set<string>();
    for (const c of converted) {
      if (c.message === null) continue;
      messages.push(c.message);
      topics.add(c.message.topic);
      if (!this.knownTopics.has(c.message.topic)) {
        await this.topicCreator?.ensure(c.message.topic);
        this.knownTopics.add(c.message.topic);
      }
    }
    for (const topic of topics) this.env.onTopicUsed(topic);
    return { converted, messages };
  }

  /** Commits what was delivered; a failure is logged, and the next commit tries again. */
  async commitOffsets(): Promise<void> {
    try {
      await this.delivery.commitAll();
    } catch (error) {
      this.env.logger.error('could not commit', { error: traceOf(error) });
    }
  }

  private fail(error: unknown): void {
    this.failed = true;
    this.env.logger.error('task failed', { error: traceOf(error) });
    if (this.lifecycle.state !== 'FAILED') this.lifecycle.transition('FAILED', traceOf(error));
  }
}
