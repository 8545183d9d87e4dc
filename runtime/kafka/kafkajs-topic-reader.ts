import { randomUUID } from 'node:crypto';
import type { Admin, Batch, Consumer, Kafka } from 'kafkajs';
import { retryWithBackoff, RETRY_FOREVER } from '../errors/retry-with-backoff.js';
import { SluiceError } from '../errors/sluice-error.js';
import { kafkaCall, kafkaError } from './kafka-errors.js';
import type { TopicTailReader } from './cluster-types.js';
import { toConsumedMessage } from './kafkajs-consumed-message.js';
import type { ConsumedMessage } from './types.js';

const READ_TO_END_TIMEOUT_MS = 60_000;

interface Waiter {
  readonly targets: Map<number, number>;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Backoff between attempts to replace a consumer that crashed for good. */
const RESTART_INITIAL_DELAY_MS = 500;
const RESTART_MAX_DELAY_MS = 10_000;

/**
 * Tails a topic with a kafkajs consumer in a throwaway group that never commits (kafkajs has no
 * group-less assign()), so each reader always starts from the beginning, as Connect's KafkaBasedLog does.
 * Failures come out as KAFKA_RETRIABLE / KAFKA_FATAL (kafka-errors.ts). A consumer that kafkajs gives up
 * on is replaced (with backoff) until the reader is stopped: a reader that silently stopped tailing
 * would leave the worker blind to config changes.
 */
export class KafkajsTopicReader implements TopicTailReader {
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  /** Next offset to deliver, per partition. */
  private readonly positions = new Map<number, number>();
  private waiters: Waiter[] = [];
  private onRecord: ((record: ConsumedMessage) => void) | null = null;
  /** Aborted by stop(): ends a pending consumer replacement. */
  private readonly stopping = new AbortController();

  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
  ) {}

  async start(onRecord: (record: ConsumedMessage) => void): Promise<void> {
    this.onRecord = onRecord;
    const admin = this.kafka.admin();
    this.admin = admin;
    await kafkaCall(`connecting to read topic ${this.topic}`, () => admin.connect());
    await this.runConsumer();
    await this.readToEnd();
  }

  private async runConsumer(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: `sluice-log-reader-${this.topic}-${randomUUID()}`,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, (event) => {
      if (!event.payload.restart) this.onCrash(consumer, event.payload.error);
    });
    // kafkajs hands eachBatch no batch that holds only transaction markers or aborted records, but still
    // moves past it and reports that here: without this, a topic whose tail is a commit marker (offsets
    // written by exactly-once sources) would never be read "to its end".
    consumer.on(consumer.events.END_BATCH_PROCESS, (event) => {
      const { topic, partition, lastOffset } = event.payload;
      if (topic !== this.topic || consumer !== this.consumer) return;
      this.advance(partition, Number(lastOffset) + 1);
    });
    await kafkaCall(`reading topic ${this.topic}`, async () => {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
      await consumer.run({ eachBatch: async ({ batch }) => this.deliver(batch) });
    });
    // stop() came while this consumer was connecting: it must not keep running.
    if (this.stopping.signal.aborted) await consumer.disconnect().catch(() => undefined);
  }

  private deliver(batch: Batch): void {
    const from = this.positions.get(batch.partition) ?? 0;
    for (const m of batch.messages) {
      // A replacement consumer starts from the beginning again: skip what was delivered already.
      if (Number(m.offset) < from) continue;
      this.onRecord?.(toConsumedMessage(batch.topic, batch.partition, m));
    }
    // lastOffset() also covers control records and compacted-away tails that carry no message.
    this.advance(batch.partition, Number(batch.lastOffset()) + 1);
  }

  private advance(partition: number, next: number): void {
    if (next <= (this.positions.get(partition) ?? 0)) return;
    this.positions.set(partition, next);
    this.checkWaiters();
  }

  /** kafkajs will not restart this consumer: fail who waits, then replace it until that works or stop() is called. */
  private onCrash(consumer: Consumer, error: Error): void {
    if (this.stopping.signal.aborted || consumer !== this.consumer) return;
    const cause = kafkaError(`reading topic ${this.topic}`, error);
    // Whatever the crash was, a replacement is on its way: waiting again can succeed.
    this.failWaiters(
      new SluiceError(
        'KAFKA_RETRIABLE',
        [`reading topic ${this.topic} (replacing its consumer)`, cause.message],
        {
          cause,
        },
      ),
    );
    this.consumer = null;
    void consumer.disconnect().catch(() => undefined);
    void retryWithBackoff(
      async () => {
        if (this.consumer !== null) await this.consumer.disconnect().catch(() => undefined);
        await this.runConsumer();
      },
      {
        timeoutMs: RETRY_FOREVER,
        initialDelayMs: RESTART_INITIAL_DELAY_MS,
        maxDelayMs: RESTART_MAX_DELAY_MS,
        isRetryable: () => true,
        signal: this.stopping.signal,
      },
    ).catch(() => undefined);
  }

  async readToEnd(): Promise<void> {
    if (this.admin === null) throw new Error(`reader of ${this.topic} is not started`);
    const admin = this.admin;
    const ends = await kafkaCall(`listing the end offsets of topic ${this.topic}`, () =>
      admin.fetchTopicOffsets(this.topic),
    );
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
    this.stopping.abort(new Error(`reader of ${this.topic} stopped`));
    this.failWaiters(new Error(`reader of ${this.topic} stopped`));
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.consumer = null;
    this.admin = null;
  }
}
