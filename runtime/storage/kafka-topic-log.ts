import { retryWithBackoff } from '../errors/retry-with-backoff.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { ClusterKafkaClient, TopicTailReader } from '../kafka/cluster-types.js';
import type { KafkaProducer } from '../kafka/types.js';
import type { KafkaLog, LogEntry, LogWrite } from './kafka-log.js';

export interface InternalTopicSpec {
  readonly topic: string;
  readonly partitions: number;
  readonly replicationFactor: number;
}

/** Compaction keeps the latest record per key forever: the stores rebuild their state from it. */
export const INTERNAL_TOPIC_CONFIGS: Readonly<Record<string, string>> = { 'cleanup.policy': 'compact' };

const TOPIC_APPEARS_TIMEOUT_MS = 10_000;

/** A KafkaLog over a compacted topic, created on start when missing. */
export class KafkaTopicLog implements KafkaLog {
  private reader: TopicTailReader | null = null;
  private producer: KafkaProducer | null = null;

  constructor(
    private readonly kafka: ClusterKafkaClient,
    private readonly spec: InternalTopicSpec,
    /** How long a topic whose creation reported an error may take to show up in the listing. */
    private readonly topicAppearsTimeoutMs = TOPIC_APPEARS_TIMEOUT_MS,
  ) {}

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
          // it but kafkajs gave up waiting for its leader ("does not host this topic-partition") before
          // the metadata caught up: in both cases the topic shows up in the listing within seconds.
          if (await this.showsUp(() => admin.listTopics())) return;
          const causes = (error as { errors?: { message?: string }[] }).errors
            ?.map((e) => e.message)
            .join('; ');
          throw new SluiceError(
            'KAFKA_FATAL',
            [
              `creating internal topic ${this.spec.topic} (${this.spec.partitions} partition(s), replication factor ${this.spec.replicationFactor}) failed: ${causes ?? String(error)}`,
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
      { timeoutMs: this.topicAppearsTimeoutMs, maxDelayMs: 1_000, isRetryable: () => true },
    ).catch(() => false);
  }

  async start(onRecord: (entry: LogEntry) => void): Promise<void> {
    await this.ensureTopic();
    this.producer = await this.kafka.producer({
      clientId: `sluice-${this.spec.topic}`,
      overrides: { acks: 'all' },
    });
    this.reader = this.kafka.topicReader(this.spec.topic);
    await this.reader.start((m) =>
      onRecord({
        key: m.key === null ? null : m.key.toString('utf8'),
        value: m.value,
        partition: m.partition,
        offset: m.offset,
      }),
    );
  }

  async send(records: readonly LogWrite[]): Promise<void> {
    if (this.producer === null) throw new Error(`${this.spec.topic} is not started`);
    if (records.length === 0) return;
    await this.producer.send(
      records.map((r) => ({
        topic: this.spec.topic,
        key: Buffer.from(r.key, 'utf8'),
        value: r.value,
        headers: [],
      })),
    );
  }

  async readToEnd(): Promise<void> {
    if (this.reader === null) throw new Error(`${this.spec.topic} is not started`);
    await this.reader.readToEnd();
  }

  async stop(): Promise<void> {
    await this.reader?.stop();
    await this.producer?.close().catch(() => undefined);
    this.reader = null;
    this.producer = null;
  }
}
