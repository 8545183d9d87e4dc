import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { SluiceError } from '../errors/sluice-error.js';
import type { TopicTailReader } from './cluster-types.js';
import { orderedHeadersOf, type KafkajsHeaders } from './kafkajs-record-format.js';
import type { ConsumedMessage } from './types.js';

const READ_TO_END_TIMEOUT_MS = 60_000;

interface Waiter {
  readonly targets: Map<number, number>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Tails a topic with a kafkajs consumer in a throwaway group that never commits (kafkajs has no
 * group-less assign()), so each reader always starts from the beginning, as Connect's KafkaBasedLog does.
 */
export class KafkajsTopicReader implements TopicTailReader {
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  /** Next offset to deliver, per partition. */
  private readonly positions = new Map<number, number>();
  private waiters: Waiter[] = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async start(onRecord: (record: ConsumedMessage) => void): Promise<void> {
    this.admin = this.kafka.admin();
    await this.admin.connect();
    const consumer = this.kafka.consumer({
      groupId: `sluice-log-reader-${this.topic}-${randomUUID()}`,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) this.failWaiters(event.payload.error);
    });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) {
          onRecord({
            topic: batch.topic,
            partition: batch.partition,
            offset: Number(m.offset),
            timestamp: Number(m.timestamp),
            timestampType: 'CreateTime',
            key: m.key ?? null,
            value: m.value ?? null,
            headers: orderedHeadersOf(m.headers as KafkajsHeaders | undefined),
          });
        }
        // lastOffset() also covers control records and compacted-away tails that carry no message.
        const next = Number(batch.lastOffset()) + 1;
        if (next > (this.positions.get(batch.partition) ?? 0)) this.positions.set(batch.partition, next);
        this.checkWaiters();
      },
    });
    await this.readToEnd();
  }

  async readToEnd(): Promise<void> {
    if (this.admin === null) throw new Error(`reader of ${this.topic} is not started`);
    const ends = await this.admin.fetchTopicOffsets(this.topic);
    const targets = new Map<number, number>();
    for (const e of ends) if (Number(e.high) > Number(e.low)) targets.set(e.partition, Number(e.high));
    if (this.reached(targets)) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.timer !== timer);
        reject(
          new SluiceError('KAFKA_UNAVAILABLE', [
            '(internal topic reader)',
            `could not read ${this.topic} to its end within ${READ_TO_END_TIMEOUT_MS} ms`,
          ]),
        );
      }, READ_TO_END_TIMEOUT_MS);
      this.waiters.push({ targets, resolve, reject, timer });
    });
  }

  private reached(targets: ReadonlyMap<number, number>): boolean {
    for (const [partition, end] of targets) if ((this.positions.get(partition) ?? 0) < end) return false;
    return true;
  }

  private checkWaiters(): void {
    const done = this.waiters.filter((w) => this.reached(w.targets));
    if (done.length === 0) return;
    this.waiters = this.waiters.filter((w) => !done.includes(w));
    for (const w of done) {
      clearTimeout(w.timer);
      w.resolve();
    }
  }

  private failWaiters(error: Error): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      clearTimeout(w.timer);
      w.reject(error);
    }
  }

  async stop(): Promise<void> {
    this.failWaiters(new Error(`reader of ${this.topic} stopped`));
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.consumer = null;
    this.admin = null;
  }
}
