import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka, PartitionAssigner } from 'kafkajs';
import { AssignerProtocol } from './kafkajs-library.js';
import { toConsumedMessage } from './kafkajs-consumed-message.js';
import type { Logger } from '../api/logger.js';
import { BufferedMessages } from './buffered-messages.js';
import { isRetriableKafkaError } from './kafka-errors.js';
import type { KafkajsClusterAdmin } from './kafkajs-cluster-admin.js';
import type {
  AssignedConsumer,
  AssignedConsumerOptions,
  ConsumedMessage,
  PartitionRef,
  PartitionStart,
} from './types.js';

const DEFAULT_MAX_BUFFERED = 20_000;

/**
 * kafkajs has no assign(): every consumer belongs to a group. This one joins a group of its own (a
 * fresh id per instance, so it is always the only member) whose assigner hands it exactly the
 * requested partitions. Start positions are committed to that group before it joins, so the very
 * first fetch already starts there; the group is deleted when the consumer is closed or replaced.
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

/** Kafka's name for a topic-partition, as logs show it. */
const partitionName = (p: PartitionRef): string => `${p.topic}-${p.partition}`;
const partitionKey = (p: PartitionRef): string => `${p.topic}\u0000${p.partition}`;

/** How long to wait before reopening after a crash (doubling while reopening fails), so nothing spins. */
const REOPEN_DELAY_MS = 1_000;
const MAX_REOPEN_DELAY_MS = 30_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function openAssignedConsumer(
  kafka: Kafka,
  admin: KafkajsClusterAdmin,
  options: AssignedConsumerOptions,
  logger: Logger,
): Promise<AssignedConsumer> {
  const consumer = new KafkajsAssignedConsumer(kafka, admin, options, logger);
  await consumer.open(options.partitions);
  return consumer;
}

/**
 * Reads the assigned partitions through one kafkajs consumer at a time. After a retriable crash it
 * reopens from where it was. When a topic is deleted while being read, kafkajs would retry it for ever
 * and the other partitions would stall; like the Java consumer (whose fetcher simply stops returning a
 * deleted partition), this one drops the partitions that no longer exist, logs each, and goes on.
 */
class KafkajsAssignedConsumer implements AssignedConsumer {
  private readonly buffered: BufferedMessages;
  /** Next offset to read per partition (null: from the earliest), kept for reopening. */
  private readonly positions = new Map<string, PartitionStart>();
  private consumer: Consumer | null = null;
  private groupId: string | null = null;
  private closed = false;

  constructor(
    private readonly kafka: Kafka,
    private readonly admin: KafkajsClusterAdmin,
    private readonly options: AssignedConsumerOptions,
    private readonly logger: Logger,
  ) {
    this.buffered = new BufferedMessages(options.maxBufferedMessages ?? DEFAULT_MAX_BUFFERED);
  }

  async open(partitions: readonly PartitionStart[]): Promise<void> {
    for (const p of partitions) this.positions.set(partitionKey(p), p);
    if (partitions.length === 0) return;
    const groupId = `sluice-assigned-${randomUUID()}`;
    this.groupId = groupId;
    const starts = partitions.filter((p) => p.offset !== null && p.offset >= 0);
    if (starts.length > 0) {
      await this.admin.setCommittedOffsets(
        groupId,
        starts.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.offset! })),
      );
    }
    const consumer: Consumer = this.kafka.consumer({
      groupId,
      partitionAssigners: [fixedAssigner(partitions)],
      maxBytesPerPartition: this.options.maxBytesPerPartition ?? 1_048_576,
      allowAutoTopicCreation: false,
      sessionTimeout: 30_000,
      // Never restarted by kafkajs: it would retry a deleted topic for ever, and resume from the start
      // positions committed above, not from where it was. onCrash() reopens from `positions` instead.
      retry: { restartOnFailure: async () => false },
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [...new Set(partitions.map((p) => p.topic))], fromBeginning: true });
    if (this.closed) {
      // close() ran while this (re)open was under way and found no consumer yet.
      await this.retire();
      return;
    }
    consumer.on(consumer.events.CRASH, (event) => {
      if (this.consumer === consumer) void this.onCrash(event.payload.error);
    });
    void consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0 || this.consumer !== consumer) return;
        await this.buffered.push(
          batch.messages.map((m) => toConsumedMessage(batch.topic, batch.partition, m)),
          heartbeat,
        );
        const { topic, partition } = batch;
        this.positions.set(partitionKey(batch), { topic, partition, offset: Number(batch.lastOffset()) + 1 });
        resolveOffset(batch.lastOffset());
      },
    });
  }

  private async onCrash(error: Error): Promise<void> {
    if (this.closed) return;
    if (!isRetriableKafkaError(error)) {
      this.buffered.fail(error);
      return;
    }
    await this.retire();
    // Like kafkajs's own restarts, and the Java consumer's reconnects: retriable failures never end.
    for (let delay = REOPEN_DELAY_MS; !this.closed; delay = Math.min(delay * 2, MAX_REOPEN_DELAY_MS)) {
      await sleep(delay);
      try {
        await this.dropMissingAndReopen();
        return;
      } catch (reopenError) {
        await this.retire();
        if (!isRetriableKafkaError(reopenError)) {
          this.buffered.fail(reopenError as Error);
          return;
        }
        this.logger.warn('could not reopen the consumer after a retriable failure; trying again', {
          error: String(reopenError),
          retryInMs: Math.min(delay * 2, MAX_REOPEN_DELAY_MS),
        });
      }
    }
  }

  private async dropMissingAndReopen(): Promise<void> {
    const partitions = [...this.positions.values()];
    const counts = await this.admin.partitionCounts([...new Set(partitions.map((p) => p.topic))]);
    if (this.closed) return;
    const kept = partitions.filter((p) => p.partition < (counts.get(p.topic) ?? 0));
    for (const p of partitions.filter((p) => !kept.includes(p))) {
      this.positions.delete(partitionKey(p));
      this.logger.warn(
        `Topic-partition ${partitionName(p)} no longer exists (was the topic deleted?); no longer reading it, the other partitions go on`,
        { topic: p.topic, partition: p.partition },
      );
    }
    await this.open(kept);
  }

  /** Leaves the current kafkajs consumer's group behind (kafkajs already disconnected it on the crash). */
  private async retire(): Promise<void> {
    const consumer = this.consumer;
    const groupId = this.groupId;
    this.consumer = null;
    this.groupId = null;
    await consumer?.disconnect().catch(() => undefined);
    // The group only ever held start positions; leave no trace of it on the cluster.
    if (groupId !== null) await this.admin.deleteGroup(groupId).catch(() => undefined);
  }

  poll(maxWaitMs: number, maxMessages: number): Promise<ConsumedMessage[]> {
    return this.buffered.take(maxWaitMs, maxMessages);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.buffered.close();
    await this.retire();
  }
}
