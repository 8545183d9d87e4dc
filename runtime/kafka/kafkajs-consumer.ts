import type { Consumer, IHeaders, KafkaMessage } from 'kafkajs';
import type {
  ConsumedMessage,
  ConsumerHandlers,
  KafkaGroupConsumer,
  KafkaHeader,
  PartitionOffset,
  PartitionRef,
} from './types.js';

const NO_HEADERS: readonly KafkaHeader[] = Object.freeze([]);

function toHeader(key: string, v: Buffer | string | undefined): KafkaHeader {
  return { key, value: v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(v) };
}

/** Runs for every consumed record; most records have no headers, so that case allocates nothing. */
function fromHeaders(headers: IHeaders | undefined): readonly KafkaHeader[] {
  if (headers === undefined) return NO_HEADERS;
  let out: KafkaHeader[] | null = null;
  for (const key in headers) {
    const value = headers[key];
    out ??= [];
    if (Array.isArray(value)) for (const v of value) out.push(toHeader(key, v));
    else out.push(toHeader(key, value));
  }
  return out ?? NO_HEADERS;
}

function toConsumed(topic: string, partition: number, m: KafkaMessage, logAppend: boolean): ConsumedMessage {
  return {
    topic,
    partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    timestampType: logAppend ? 'LogAppendTime' : 'CreateTime',
    key: m.key ?? null,
    value: m.value ?? null,
    headers: fromHeaders(m.headers),
  };
}

function groupByTopic(partitions: readonly PartitionRef[]): { topic: string; partitions: number[] }[] {
  const map = new Map<string, number[]>();
  for (const p of partitions) {
    let list = map.get(p.topic);
    if (list === undefined) map.set(p.topic, (list = []));
    list.push(p.partition);
  }
  return [...map].map(([topic, parts]) => ({ topic, partitions: parts }));
}

/** A consumer-group member delivering whole fetched batches, with manual offset commits. */
export class KafkajsGroupConsumer implements KafkaGroupConsumer {
  private closed = false;

  constructor(private readonly consumer: Consumer) {}

  async run(handlers: ConsumerHandlers): Promise<void> {
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      // kafkajs restarts a crashed consumer on its own, even when close() ran meanwhile: such a consumer
      // would rejoin the group and hold partitions nobody consumes. Leave again.
      if (this.closed) {
        void this.consumer.disconnect().catch(() => undefined);
        return;
      }
      const assignment = event.payload.memberAssignment as Record<string, number[]>;
      const refs: PartitionRef[] = [];
      for (const [topic, parts] of Object.entries(assignment))
        for (const partition of parts) refs.push({ topic, partition });
      void handlers.onAssignment(refs);
    });
    this.consumer.on(this.consumer.events.CRASH, (event) => {
      if (!event.payload.restart) handlers.onStop?.(event.payload.error);
    });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        // kafkajs does not expose the batch's timestamp type; CreateTime is what topics default to.
        const messages = batch.messages.map((m) => toConsumed(batch.topic, batch.partition, m, false));
        const delivered = await handlers.onBatch(
          { topic: batch.topic, partition: batch.partition, messages },
          { heartbeat, isRunning },
        );
        if (delivered) resolveOffset(batch.lastOffset());
      },
    });
  }

  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.consumer.commitOffsets(
      offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })),
    );
  }

  seek(position: PartitionOffset): void {
    this.consumer.seek({
      topic: position.topic,
      partition: position.partition,
      offset: String(position.offset),
    });
  }

  pause(partitions: readonly PartitionRef[]): void {
    if (partitions.length > 0) this.consumer.pause(groupByTopic(partitions));
  }

  resume(partitions: readonly PartitionRef[]): void {
    if (partitions.length > 0) this.consumer.resume(groupByTopic(partitions));
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.consumer.disconnect();
  }
}
