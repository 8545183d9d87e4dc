import type { SourceRecord } from '../api/records.js';
import type { KafkaAdmin, KafkaHeader, KafkaProducer, OutgoingMessage } from '../kafka/types.js';
import type { TaskConverters } from '../worker/task-environment.js';

/** How a topic a job writes to is created when it does not exist (`topic.partitions`, `topic.replication.factor`). */
export interface NewTopicSettings {
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface ProducedBatch {
  readonly records: number;
  /** Key, value and header bytes as sent. */
  readonly bytes: number;
}

const sizeOf = (b: Buffer | null): number => (b === null ? 0 : b.length);

/**
 * Converts a job's records as a source task does (key, value and header converters) and produces them,
 * creating a missing topic first, so jobs need no topic set up ahead.
 */
export class RecordProducer {
  private readonly knownTopics = new Set<string>();
  private producer: Promise<KafkaProducer> | null = null;

  /** The producer is opened at the first record, so a worker starts even while Kafka is away. */
  constructor(
    private readonly openProducer: () => Promise<KafkaProducer>,
    private readonly admin: () => Promise<KafkaAdmin>,
  ) {}

  async produce(
    records: readonly SourceRecord[],
    converters: TaskConverters,
    newTopic: NewTopicSettings,
  ): Promise<ProducedBatch> {
    let bytes = 0;
    const messages: OutgoingMessage[] = records.map((r) => {
      const headers: KafkaHeader[] = r.headers.map((h) => ({
        key: h.key,
        value: converters.header.fromConnectHeader(r.topic, h.key, h.schema, h.value),
      }));
      const key = converters.key.fromConnectData(r.topic, r.keySchema, r.key, r.headers);
      const value = converters.value.fromConnectData(r.topic, r.valueSchema, r.value, r.headers);
      bytes += sizeOf(key) + sizeOf(value) + headers.reduce((s, h) => s + h.key.length + sizeOf(h.value), 0);
      return { topic: r.topic, partition: r.kafkaPartition, key, value, timestamp: r.timestamp, headers };
    });
    for (const topic of new Set(messages.map((m) => m.topic))) await this.ensureTopic(topic, newTopic);
    if (messages.length === 0) return { records: 0, bytes };
    this.producer ??= this.openProducer();
    const producer = await this.producer.catch((error: unknown) => {
      this.producer = null;
      throw error;
    });
    await producer.send(messages);
    return { records: messages.length, bytes };
  }

  private async ensureTopic(topic: string, settings: NewTopicSettings): Promise<void> {
    if (this.knownTopics.has(topic)) return;
    const admin = await this.admin();
    try {
      if (!(await admin.listTopics()).includes(topic)) {
        // Another unit (here or on another worker) may create it at the same moment: then it exists.
        await admin
          .createTopics([
            { topic, numPartitions: settings.partitions, replicationFactor: settings.replicationFactor },
          ])
          .catch(async (error: unknown) => {
            if (!(await admin.listTopics()).includes(topic)) throw error;
          });
      }
      this.knownTopics.add(topic);
    } finally {
      await admin.close();
    }
  }

  async close(): Promise<void> {
    const producer = await this.producer?.catch(() => null);
    await producer?.close();
  }
}
