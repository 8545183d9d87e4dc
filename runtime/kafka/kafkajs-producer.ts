import type { IHeaders, Message, Producer } from 'kafkajs';
import { SluiceError } from '../errors/sluice-error.js';
import { isRetriableKafkaError, kafkaError } from './kafka-errors.js';
import { CompressionTypes } from './kafkajs-library.js';
import { toKafkajsHeaders } from './kafkajs-record-format.js';
import { partitionForKey, StickyPartitionChooser } from './partitioner.js';
import type { KafkaProducer, OutgoingMessage, ProducedMetadata } from './types.js';

/** The producer's compression.type values (Kafka's CompressionType names). */
const COMPRESSION: Readonly<Record<string, CompressionTypes>> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

/** The kafkajs codec for a compression.type value; an unknown one is a config error, as in Java. */
export function compressionOf(compressionType: string): CompressionTypes {
  const codec = COMPRESSION[compressionType];
  if (codec === undefined)
    throw new SluiceError('CONFIG_INVALID_VALUE', [
      compressionType,
      'compression.type',
      `String must be one of: ${Object.keys(COMPRESSION).join(', ')}`,
    ]);
  return codec;
}

/**
 * The Java producer's batching keys, checked as Java checks them (`batch.size` an INT, `linger.ms` a LONG,
 * both at least 0), so a value Java refuses fails the task here too. They change nothing else: the worker
 * sends each poll's records in requests of up to `max.request.size` as soon as they are converted, with one
 * request in flight (docs/kafka-client.md, "Batching").
 */
export function checkBatchingKeys(overrides: Readonly<Record<string, string>>): void {
  for (const [key, max] of [
    ['batch.size', 2 ** 31 - 1],
    ['linger.ms', Number.MAX_SAFE_INTEGER],
  ] as const) {
    const raw = overrides[key];
    if (raw === undefined) continue;
    const value = Number(raw.trim());
    if (raw.trim() === '' || !Number.isInteger(value) || value < 0 || value > max)
      throw new SluiceError('CONFIG_INVALID_VALUE', [
        raw,
        key,
        `Value must be a whole number between 0 and ${max}`,
      ]);
  }
}

/**
 * What a failed send becomes: KAFKA_PRODUCE_FAILED (retryable) when Kafka said "not now" (leader
 * moving, timeout, connection lost), KAFKA_FATAL when a retry cannot help (a record too large, no
 * authorization), so `errors.retry.timeout=-1` never retries a poison record for ever.
 */
export function produceError(topics: string, error: unknown): SluiceError {
  return isRetriableKafkaError(error)
    ? new SluiceError('KAFKA_PRODUCE_FAILED', [topics, (error as Error).message], { cause: error })
    : kafkaError(`producing to topic ${topics}`, error);
}

/** Rough wire size of a message: enough to keep requests under the broker's limit. */
function approximateSize(m: OutgoingMessage): number {
  let size = 64 + (m.key?.length ?? 0) + (m.value?.length ?? 0);
  for (const h of m.headers) size += 8 + h.key.length * 3 + (h.value?.length ?? 0);
  return size;
}

export function splitBySize(
  messages: readonly OutgoingMessage[],
  maxBytes: number,
): (readonly OutgoingMessage[])[] {
  const chunks: OutgoingMessage[][] = [];
  let current: OutgoingMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = approximateSize(m);
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  chunks.push(current);
  return chunks;
}

/** One topic's part of a produce request, and the base offsets Kafka acknowledged for its partitions. */
interface TopicRequest {
  readonly name: string;
  readonly count: number;
  readonly messages: Message[];
  readonly perPartition: Int32Array;
  base: Map<number, { offset: number; timestamp: number }> | null;
}

/** Where a KafkajsProducer's requests go: a kafkajs producer, or one of its transactions. */
export type BatchTarget = Pick<Producer, 'sendBatch' | 'disconnect'>;

/** kafkajs-backed producer that assigns partitions itself so it can report each message's offset. */
export class KafkajsProducer implements KafkaProducer {
  private readonly sticky = new StickyPartitionChooser();

  constructor(
    private readonly producer: BatchTarget,
    private readonly partitionCount: (topic: string) => Promise<number>,
    private readonly options: { acks: number; compression: CompressionTypes; maxRequestBytes: number },
  ) {}

  /**
   * Sends in requests of at most `maxRequestBytes` (Kafka refuses larger record batches), one after
   * the other so order is kept; resolves with every message's metadata once all were acknowledged.
   */
  async send(messages: readonly OutgoingMessage[]): Promise<ProducedMetadata[]> {
    const chunks = splitBySize(messages, this.options.maxRequestBytes);
    if (chunks.length === 1) return this.sendRequest(chunks[0]!);
    const results: ProducedMetadata[] = [];
    for (const chunk of chunks) results.push(...(await this.sendRequest(chunk)));
    return results;
  }

  private async sendRequest(messages: readonly OutgoingMessage[]): Promise<ProducedMetadata[]> {
    if (messages.length === 0) return [];
    // Per topic: its partition count, its messages for kafkajs, and how many went to each partition so far.
    // Each message's index within its partition gives its offset from the partition's base offset.
    // Arrays and one Map lookup per message: this runs for every produced record.
    const topics = new Map<string, TopicRequest>();
    const partitions = new Int32Array(messages.length);
    const indexes = new Int32Array(messages.length);
    const topicOf: TopicRequest[] = new Array(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i]!;
      let topic = topics.get(m.topic);
      if (topic === undefined) {
        const count = await this.partitionCount(m.topic);
        topic = { name: m.topic, count, messages: [], perPartition: new Int32Array(count), base: null };
        topics.set(m.topic, topic);
      }
      const { count } = topic;
      // kafkajs would wait for a leader of a partition that does not exist until its retries run out.
      if (m.partition !== null && m.partition !== undefined && (m.partition < 0 || m.partition >= count))
        throw new SluiceError('KAFKA_FATAL', [
          `a record asks for partition ${m.partition} of topic ${m.topic}, which has ${count} partition(s)`,
        ]);
      const partition =
        m.partition ??
        (m.key !== null ? partitionForKey(m.key, count) : this.sticky.partitionFor(m.topic, count));
      partitions[i] = partition;
      indexes[i] = topic.perPartition[partition]!++;
      topicOf[i] = topic;
      // Headers carry their order and null values to the produce request (kafkajs-produce-request.ts).
      topic.messages.push({
        key: m.key,
        value: m.value,
        partition,
        timestamp: m.timestamp !== null && m.timestamp !== undefined ? String(m.timestamp) : undefined,
        headers: m.headers.length === 0 ? undefined : (toKafkajsHeaders(m.headers) as IHeaders),
      });
    }
    this.sticky.rotate(new Map([...topics.values()].map((t) => [t.name, t.count])));

    let response;
    try {
      response = await this.producer.sendBatch({
        topicMessages: [...topics.values()].map((t) => ({ topic: t.name, messages: t.messages })),
        acks: this.options.acks,
        compression: this.options.compression,
      });
    } catch (error) {
      throw produceError([...topics.keys()].join(','), error);
    }
    for (const r of response) {
      const topic = topics.get(r.topicName);
      if (topic === undefined) continue;
      topic.base ??= new Map();
      topic.base.set(r.partition, {
        offset: Number(r.baseOffset ?? r.offset ?? -1),
        timestamp: Number(r.logAppendTime ?? -1),
      });
    }
    const now = Date.now();
    const metadata: ProducedMetadata[] = new Array(messages.length);
    for (let i = 0; i < messages.length; i++) {
      const topic = topicOf[i]!;
      const partition = partitions[i]!;
      const b = topic.base?.get(partition);
      const sentTimestamp = messages[i]!.timestamp;
      metadata[i] = {
        topic: topic.name,
        partition,
        offset: b && b.offset >= 0 ? b.offset + indexes[i]! : -1,
        timestamp: b && b.timestamp > 0 ? b.timestamp : (sentTimestamp ?? now),
      };
    }
    return metadata;
  }

  async close(): Promise<void> {
    await this.producer.disconnect();
  }
}
