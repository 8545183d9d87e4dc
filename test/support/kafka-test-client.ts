// Direct Kafka access for integration tests: create topics, produce raw bytes, read a topic back.
// Tests use kafkajs directly (not runtime/kafka) so they check the runtime against an independent client.
import { Kafka, Partitioners, logLevel, type Consumer, type IHeaders } from 'kafkajs';
import { KAFKA_BOOTSTRAP, kafkaBrokers } from './endpoints.js';
import { waitFor } from './worker-process.js';

function client(bootstrap: string): Kafka {
  return new Kafka({ clientId: 'sluice-it', brokers: kafkaBrokers(bootstrap), logLevel: logLevel.NOTHING });
}

/** Creates the topic; `configs` are topic-level settings such as `compression.type`. */
export async function createTopic(
  topic: string,
  partitions = 1,
  bootstrap = KAFKA_BOOTSTRAP,
  configs: Readonly<Record<string, string>> = {},
): Promise<void> {
  const admin = client(bootstrap).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
        },
      ],
      // kafkajs's own wait fails at once on UNKNOWN_TOPIC_OR_PARTITION, which a broker may answer for a
      // moment after the controller created the topic: wait here instead, retrying that answer.
      waitForLeaders: false,
    });
    await waitFor(
      async () => {
        const meta = await admin.fetchTopicMetadata({ topics: [topic] });
        return meta.topics.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      },
      30_000,
      `leaders of every partition of ${topic}`,
      100,
    );
  } finally {
    await admin.disconnect();
  }
}

/** The client ids of a consumer group's members, as DescribeGroups reports them. */
export async function groupMemberClientIds(groupId: string, bootstrap = KAFKA_BOOTSTRAP): Promise<string[]> {
  const admin = client(bootstrap).admin();
  await admin.connect();
  try {
    const { groups } = await admin.describeGroups([groupId]);
    return (groups[0]?.members ?? []).map((m) => m.clientId).sort();
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(topics: readonly string[], bootstrap = KAFKA_BOOTSTRAP): Promise<void> {
  const admin = client(bootstrap).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [...topics] }).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
}

export interface RawMessage {
  readonly key?: Buffer | string | null;
  readonly value: Buffer | string | null;
  readonly headers?: IHeaders;
  /** CreateTime in epoch ms, as text (kafkajs's form); default: now. */
  readonly timestamp?: string;
}

/** Produces the messages in order to partition 0 (acks=all). */
export async function produce(
  topic: string,
  messages: readonly RawMessage[],
  bootstrap = KAFKA_BOOTSTRAP,
): Promise<void> {
  const producer = client(bootstrap).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: messages.map((m) => ({ ...m, partition: 0 })) });
  } finally {
    await producer.disconnect();
  }
}

export interface ReadMessage {
  readonly partition: number;
  readonly offset: number;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: Record<string, string>;
}

/** The latest offset (high watermark) summed over partitions: how many records a topic holds. */
export async function topicSize(topic: string, bootstrap = KAFKA_BOOTSTRAP): Promise<number> {
  const admin = client(bootstrap).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads a topic from the beginning in the background until `stop()`, for tests that watch records arrive
 * across restarts of the process that writes them (one consumer group join instead of one per look).
 */
export class TopicTail {
  private readonly received: ReadMessage[] = [];

  private constructor(private readonly consumer: Consumer) {}

  /** Waits (up to 30 s) for the topic to exist: the reader never creates it with broker defaults. */
  static async start(topic: string, bootstrap = KAFKA_BOOTSTRAP): Promise<TopicTail> {
    await waitFor(async () => (await topicSize(topic, bootstrap)) >= 0, 30_000, `topic ${topic}`);
    const consumer = client(bootstrap).consumer({
      allowAutoTopicCreation: false,
      groupId: `sluice-it-reader-${Date.now()}-${Math.random()}`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
    });
    const tail = new TopicTail(consumer);
    await consumer.connect();
    try {
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
    } catch (error) {
      await consumer.disconnect();
      throw error;
    }
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(message.headers ?? {}))
          headers[k] = Array.isArray(v) ? String(v[0]) : String(v ?? '');
        tail.received.push({
          partition,
          offset: Number(message.offset),
          key: message.key,
          value: message.value,
          headers,
        });
      },
    });
    return tail;
  }

  /** Everything read so far, in the order it was read (per partition: offset order). */
  get messages(): readonly ReadMessage[] {
    return this.received;
  }

  /** Waits until at least `count` messages were read. */
  async waitForCount(count: number, timeoutMs: number, topic = 'the topic'): Promise<readonly ReadMessage[]> {
    await waitFor(
      () => this.received.length >= count,
      timeoutMs,
      `${count} message(s) on ${topic} (have ${this.received.length})`,
    );
    return this.received;
  }

  async stop(): Promise<void> {
    await this.consumer.disconnect();
  }
}

/** Reads a topic from the beginning until `count` messages arrived (fails after `timeoutMs`). */
export async function readTopic(
  topic: string,
  count: number,
  timeoutMs = 30_000,
  bootstrap = KAFKA_BOOTSTRAP,
): Promise<ReadMessage[]> {
  const tail = await TopicTail.start(topic, bootstrap);
  try {
    return [...(await tail.waitForCount(count, timeoutMs, topic))];
  } finally {
    await tail.stop();
  }
}

/**
 * Writes each group of values in its own Kafka transaction (kafkajs transactional producer), committing
 * or aborting it as asked: for tests of consumers' isolation.level.
 */
export async function produceTransactions(
  topic: string,
  transactions: readonly { readonly values: readonly string[]; readonly commit: boolean }[],
  bootstrap = KAFKA_BOOTSTRAP,
): Promise<void> {
  const producer = client(bootstrap).producer({
    transactionalId: `sluice-it-${topic}`,
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    for (const { values, commit } of transactions) {
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: values.map((value) => ({ partition: 0, value })) });
      if (commit) await transaction.commit();
      else await transaction.abort();
    }
  } finally {
    await producer.disconnect();
  }
}
