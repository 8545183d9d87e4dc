import type { Logger } from '../api/logger.js';
import { retryWithBackoff, systemRetryClock, type RetryClock } from '../errors/retry-with-backoff.js';
import { isRetryable, SluiceError } from '../errors/sluice-error.js';
import { StartupDeadline } from '../errors/startup-deadline.js';
import type { ClusterKafkaClient, TopicTailReader } from '../kafka/cluster-types.js';
import type { ConsumedMessage, KafkaProducer } from '../kafka/types.js';
import type { KafkaLog, LogEntry, LogWrite } from './kafka-log.js';

export interface InternalTopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface KafkaTopicLogOptions {
  /** The worker's start-up deadline, shared with its other start-up steps (default: a new one). */
  readonly startup?: StartupDeadline;
  /** Where retries are reported. */
  readonly logger?: Logger;
  /** How long a topic whose creation reported an error may take to show up in the listing. */
  readonly topicAppearsTimeoutMs?: number;
  /** How long a read or write after start-up keeps retrying retriable errors before its caller hears of them. */
  readonly retryTimeoutMs?: number;
  readonly clock?: RetryClock;
}

/** Compaction keeps the latest record per key forever: the stores rebuild their state from it. */
export const INTERNAL_TOPIC_CONFIGS: Readonly<Record<string, string>> = { 'cleanup.policy': 'compact' };

const TOPIC_APPEARS_TIMEOUT_MS = 10_000;
/** A minute, as the Java clients' default.api.timeout.ms: long enough for a leader election. */
const RETRY_TIMEOUT_MS = 60_000;
const RETRY_INITIAL_DELAY_MS = 200;
const RETRY_MAX_DELAY_MS = 5_000;

/**
 * A KafkaLog over a compacted topic, created on start when missing. Kafka errors that a retry may cure
 * (a new topic's partitions still electing leaders, a coordinator moving) are retried with backoff:
 * at start-up until the worker's start-up deadline, afterwards for a minute per read or write.
 */
export class KafkaTopicLog implements KafkaLog {
  private reader: TopicTailReader | null = null;
  private producer: KafkaProducer | null = null;
  /** Next offset to deliver per partition: a reader that starts over delivers nothing twice. */
  private readonly delivered = new Map<number, number>();
  private stopped = false;

  get topic(): string {
    return this.spec.topic;
  }

  constructor(
    private readonly kafka: ClusterKafkaClient,
    private readonly spec: InternalTopicSpec,
    private readonly options: KafkaTopicLogOptions = {},
  ) {}

  private logRetry(step: string): (error: unknown, delayMs: number) => void {
    return (error, delayMs) =>
      this.options.logger?.warn(`${step} failed with a retriable error; retrying in ${delayMs} ms`, {
        error: String(error),
      });
  }

  private async ensureTopic(): Promise<void> {
    const admin = await this.kafka.admin();
    try {
      if ((await admin.listTopics()).includes(this.spec.topic)) return;
      await admin
        .createTopics([
          {
            topic: this.spec.topic,
            numPartitions: this.spec.partitions,
            replicationFactor: this.spec.replicationFactor,
            configs: INTERNAL_TOPIC_CONFIGS,
          },
        ])
        .catch(async (error: unknown) => {
          // Another worker of the cluster may have created it at the same moment, or the broker created
          // it but the client gave up waiting for its leaders: the topic then shows up within seconds.
          if (await this.showsUp(() => admin.listTopics())) return;
          if (isRetryable(error)) throw error;
          throw new SluiceError(
            'KAFKA_FATAL',
            [
              `creating internal topic ${this.spec.topic} (${this.spec.partitions} partition(s), replication factor ${this.spec.replicationFactor}) failed: ${(error as Error).message}`,
            ],
            { cause: error },
          );
        });
    } finally {
      await admin.close().catch(() => undefined);
    }
  }

  private async showsUp(listTopics: () => Promise<string[]>): Promise<boolean> {
    return retryWithBackoff(
      async () => {
        if (!(await listTopics()).includes(this.spec.topic)) throw new Error('not listed yet');
        return true;
      },
      {
        timeoutMs: this.options.topicAppearsTimeoutMs ?? TOPIC_APPEARS_TIMEOUT_MS,
        maxDelayMs: 1_000,
        isRetryable: () => true,
        ...(this.options.clock ? { clock: this.options.clock } : {}),
      },
    ).catch(() => false);
  }

  private async startReader(onRecord: (entry: LogEntry) => void): Promise<void> {
    const reader = this.kafka.topicReader(this.spec.topic);
    try {
      await reader.start((m) => this.deliver(m, onRecord));
    } catch (error) {
      await reader.stop().catch(() => undefined);
      throw error;
    }
    this.reader = reader;
  }

  private deliver(m: ConsumedMessage, onRecord: (entry: LogEntry) => void): void {
    if (m.offset < (this.delivered.get(m.partition) ?? 0)) return;
    this.delivered.set(m.partition, m.offset + 1);
    onRecord({
      key: m.key === null ? null : m.key.toString('utf8'),
      value: m.value,
      partition: m.partition,
      offset: m.offset,
    });
  }

  async start(onRecord: (entry: LogEntry) => void): Promise<void> {
    const startup = this.options.startup ?? new StartupDeadline(undefined, this.options.clock);
    const topic = this.spec.topic;
    try {
      await startup.retry(
        `creating internal topic ${topic}`,
        this.unlessStopped(() => this.ensureTopic()),
        this.logRetry(`creating ${topic}`),
      );
      this.producer = await startup.retry(
        `opening a producer for internal topic ${topic}`,
        this.unlessStopped(() =>
          this.kafka.producer({ clientId: `sluice-${topic}`, overrides: { acks: 'all' } }),
        ),
        this.logRetry(`opening a producer for ${topic}`),
      );
      await startup.retry(
        `reading internal topic ${topic} to its end`,
        this.unlessStopped(() => this.startReader(onRecord)),
        this.logRetry(`reading ${topic}`),
      );
    } finally {
      // stop() came while a step was under way: close what that step opened.
      if (this.stopped) await this.close();
    }
    if (this.stopped) throw new Error(`${topic} was stopped while starting`);
  }

  /** A start-up step that fails at once, without retries, once stop() was called. */
  private unlessStopped<T>(operation: () => Promise<T>): () => Promise<T> {
    return async () => {
      if (this.stopped) throw new Error(`${this.spec.topic} was stopped while starting`);
      return operation();
    };
  }

  /** Run-time calls: retriable errors are retried for a while, so a passing leader election reaches no caller. */
  private retrying<T>(what: string, operation: () => Promise<T>): Promise<T> {
    return retryWithBackoff(operation, {
      timeoutMs: this.options.retryTimeoutMs ?? RETRY_TIMEOUT_MS,
      initialDelayMs: RETRY_INITIAL_DELAY_MS,
      maxDelayMs: RETRY_MAX_DELAY_MS,
      clock: this.options.clock ?? systemRetryClock,
      onRetry: (_attempt, error, delayMs) => this.logRetry(what)(error, delayMs),
    });
  }

  async send(records: readonly LogWrite[]): Promise<void> {
    const producer = this.producer;
    if (producer === null) throw new Error(`${this.spec.topic} is not started`);
    if (records.length === 0) return;
    const messages = records.map((r) => ({
      topic: this.spec.topic,
      key: Buffer.from(r.key, 'utf8'),
      value: r.value,
      headers: [],
    }));
    // A batch sent twice is harmless: the topic is compacted and the same keys get the same values, in order.
    await this.retrying(`writing to ${this.spec.topic}`, () => producer.send(messages));
  }

  async readToEnd(): Promise<void> {
    const reader = this.reader;
    if (reader === null) throw new Error(`${this.spec.topic} is not started`);
    await this.retrying(`reading ${this.spec.topic} to its end`, () => reader.readToEnd());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.close();
  }

  private async close(): Promise<void> {
    await this.reader?.stop();
    await this.producer?.close().catch(() => undefined);
    this.reader = null;
    this.producer = null;
  }
}
