import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, KafkaMessage, PartitionAssigner } from 'kafkajs';
import { AssignerProtocol } from './kafkajs-library.js';
import { orderedHeadersOf, type KafkajsHeaders } from './kafkajs-record-format.js';
import type { KafkajsAdmin } from './kafkajs-admin.js';
import type { AssignedConsumer, AssignedConsumerOptions, ConsumedMessage, PartitionRef } from './types.js';

function toConsumedMessage(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
  return {
    topic,
    partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    timestampType: 'CreateTime',
    key: m.key ?? null,
    value: m.value ?? null,
    headers: orderedHeadersOf(m.headers as KafkajsHeaders | undefined),
  };
}

const DEFAULT_MAX_BUFFERED = 20_000;

/**
 * kafkajs has no assign(): every consumer belongs to a group. This one joins a group of its own (a
 * fresh id per instance, so it is always the only member) whose assigner hands it exactly the
 * requested partitions. Start positions are committed to that group before it joins, so the very
 * first fetch already starts there; the group is deleted on close.
 */
function fixedAssigner(partitions: readonly PartitionRef[]): PartitionAssigner {
  const assignment: Record<string, number[]> = {};
  for (const p of partitions) (assignment[p.topic] ??= []).push(p.partition);
  return () => ({
    name: 'SluiceFixedAssigner',
    version: 0,
    async assign({ members }) {
      const [first, ...others] = [...members].sort((a, b) => a.memberId.localeCompare(b.memberId));
      if (first === undefined) return [];
      const empty = AssignerProtocol.MemberAssignment.encode({
        version: 0,
        assignment: {},
        userData: Buffer.alloc(0),
      });
      return [
        {
          memberId: first.memberId,
          memberAssignment: AssignerProtocol.MemberAssignment.encode({
            version: 0,
            assignment,
            userData: Buffer.alloc(0),
          }),
        },
        ...others.map((m) => ({ memberId: m.memberId, memberAssignment: empty })),
      ];
    },
    protocol({ topics }) {
      return {
        name: 'SluiceFixedAssigner',
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
      };
    },
  });
}

export async function openAssignedConsumer(
  kafka: Kafka,
  admin: KafkajsAdmin,
  options: AssignedConsumerOptions,
): Promise<AssignedConsumer> {
  const groupId = `sluice-assigned-${randomUUID()}`;
  const starts = options.partitions.filter((p) => p.offset !== null && p.offset >= 0);
  if (starts.length > 0) {
    await admin.setCommittedOffsets(
      groupId,
      starts.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset! })),
    );
  }
  const consumer = kafka.consumer({
    groupId,
    partitionAssigners: [fixedAssigner(options.partitions)],
    maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
    allowAutoTopicCreation: false,
    sessionTimeout: 30_000,
  });
  const buffered = new BufferedMessages(options.maxBufferedMessages ?? DEFAULT_MAX_BUFFERED);
  await consumer.connect();
  await consumer.subscribe({
    topics: [...new Set(options.partitions.map((p) => p.topic))],
    fromBeginning: true,
  });
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) buffered.fail(event.payload.error);
  });
  void consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
      if (!isRunning() || isStale() || batch.messages.length === 0) return;
      await buffered.push(
        batch.messages.map((m) => toConsumedMessage(batch.topic, batch.partition, m)),
        heartbeat,
      );
      resolveOffset(batch.lastOffset());
    },
  });
  return new KafkajsAssignedConsumer(consumer, admin, groupId, buffered);
}

/** A bounded hand-off between kafkajs's fetch loop and the reader. */
class BufferedMessages {
  private readonly batches: ConsumedMessage[][] = [];
  private count = 0;
  private error: Error | null = null;
  private closed = false;
  private onData: (() => void) | null = null;
  private onSpace: (() => void) | null = null;

  constructor(private readonly max: number) {}

  async push(messages: ConsumedMessage[], heartbeat: () => Promise<void>): Promise<void> {
    while (this.count >= this.max && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.onSpace = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      await heartbeat().catch(() => undefined);
    }
    if (this.closed) return;
    this.batches.push(messages);
    this.count += messages.length;
    this.onData?.();
  }

  async take(maxWaitMs: number, maxMessages: number): Promise<ConsumedMessage[]> {
    if (this.error) throw this.error;
    if (this.count === 0 && maxWaitMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, maxWaitMs);
        this.onData = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.onData = null;
    }
    const out: ConsumedMessage[] = [];
    while (this.batches.length > 0 && out.length < maxMessages) {
      const batch = this.batches[0]!;
      const room = maxMessages - out.length;
      if (batch.length <= room) {
        out.push(...batch);
        this.batches.shift();
      } else {
        out.push(...batch.splice(0, room));
      }
    }
    this.count -= out.length;
    this.onSpace?.();
    this.onSpace = null;
    return out;
  }

  fail(error: Error): void {
    this.error = error;
    this.onData?.();
  }

  close(): void {
    this.closed = true;
    this.onSpace?.();
    this.onData?.();
  }
}

class KafkajsAssignedConsumer implements AssignedConsumer {
  constructor(
    private readonly consumer: Consumer,
    private readonly admin: KafkajsAdmin,
    private readonly groupId: string,
    private readonly buffered: BufferedMessages,
  ) {}

  poll(maxWaitMs: number, maxMessages: number): Promise<ConsumedMessage[]> {
    return this.buffered.take(maxWaitMs, maxMessages);
  }

  async close(): Promise<void> {
    this.buffered.close();
    await this.consumer.disconnect().catch(() => undefined);
    // The group only ever held start positions; leave no trace of it on the cluster.
    await this.admin.deleteGroup(this.groupId).catch(() => undefined);
  }
}
