import type { DeadLetterQueueProducer, DeadLetterQueueRecord } from '../errors/dead-letter-queue-reporter.js';
import type { KafkaAdmin, KafkaProducer } from './types.js';

/** The dead letter queue's Kafka side: one producer per sink task, topics created on first use. */
export class KafkaDeadLetterQueueProducer implements DeadLetterQueueProducer {
  constructor(
    private readonly producer: KafkaProducer,
    private readonly admin: () => Promise<KafkaAdmin>,
  ) {}

  async send(record: DeadLetterQueueRecord): Promise<void> {
    await this.producer.send([
      {
        topic: record.topic,
        key: record.key,
        value: record.value,
        headers: record.headers,
        ...(record.timestamp === undefined ? {} : { timestamp: record.timestamp }),
      },
    ]);
  }

  async ensureTopic(topic: string, replicationFactor: number): Promise<void> {
    const admin = await this.admin();
    try {
      if ((await admin.listTopics()).includes(topic)) return;
      await admin.createTopics([
        { topic, numPartitions: 1, ...(replicationFactor > 0 ? { replicationFactor } : {}) },
      ]);
    } finally {
      await admin.close();
    }
  }

  async close(): Promise<void> {
    await this.producer.close();
  }
}
