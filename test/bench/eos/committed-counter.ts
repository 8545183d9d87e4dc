/**
 * Counts the records a read_committed consumer sees on a topic, the way a downstream reader experiences a
 * pipeline: records of open or aborted transactions do not count, transaction markers are not records.
 */
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { kafkaBrokers } from '../../support/endpoints.js';
import { sleep } from '../support/child-process.js';

export class CommittedCounter {
  count = 0;
  private constructor(private readonly consumer: Consumer) {}

  /** Waits until the topic exists (a mirror creates its remote topic), then counts from its beginning. */
  static async start(
    bootstrap: string,
    admin: Admin,
    topic: string,
    timeoutMs: number,
  ): Promise<CommittedCounter> {
    const deadline = Date.now() + timeoutMs;
    while (!(await admin.listTopics()).includes(topic)) {
      if (Date.now() > deadline) throw new Error(`topic ${topic} did not appear within ${timeoutMs} ms`);
      await sleep(100);
    }
    const kafka = new Kafka({
      clientId: 'sluice-bench-eos',
      brokers: kafkaBrokers(bootstrap),
      logLevel: logLevel.NOTHING,
    });
    const consumer = kafka.consumer({
      groupId: `sluice-bench-eos-${Date.now()}-${Math.random()}`,
      readUncommitted: false,
      maxBytesPerPartition: 8 << 20,
    });
    const counter = new CommittedCounter(consumer);
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        counter.count += batch.messages.length;
      },
    });
    return counter;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}
