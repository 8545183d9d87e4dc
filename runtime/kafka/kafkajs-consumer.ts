import type { Consumer, KafkaMessage } from 'kafkajs';
import type { Logger } from '../api/logger.js';
import { orderedHeadersOf, type KafkajsHeaders } from './kafkajs-record-format.js';
import { sameTopics, topicsMatching } from './topic-pattern.js';
import type {
  ConsumedMessage,
  ConsumerHandlers,
  KafkaGroupConsumer,
  PartitionOffset,
  PartitionRef,
} from './types.js';

function toConsumed(topic: string, partition: number, m: KafkaMessage, logAppend: boolean): ConsumedMessage {
  return {
    topic,
    partition,
    offset: Number(m.offset),
    timestamp: Number(m.timestamp),
    timestampType: logAppend ? 'LogAppendTime' : 'CreateTime',
    key: m.key ?? null,
    value: m.value ?? null,
    headers: orderedHeadersOf(m.headers as KafkajsHeaders | undefined),
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

/** Builds one (unconnected) kafkajs consumer; kafkajs may restart it after a crash only while `wanted()`. */
export type KafkajsConsumerFactory = (wanted: () => boolean) => Consumer;

export interface KafkajsSubscription {
  readonly topics: readonly string[] | RegExp;
  readonly fromBeginning: boolean;
  /** How often a RegExp subscription looks for topics created or deleted since (metadata.max.age.ms). */
  readonly refreshIntervalMs: number;
  /** Every topic name in the cluster, for RegExp subscriptions. */
  listTopics(): Promise<string[]>;
}

/**
 * A consumer-group member delivering whole fetched batches, with manual offset commits.
 *
 * kafkajs resolves a RegExp subscription once, when subscribing. Like the Java consumer, this one
 * lists the cluster's topics every `refreshIntervalMs` and, when the matching set changed, rejoins the
 * group with the new set. A kafkajs consumer can never drop a topic it subscribed to (nor its cluster
 * forget it), so the rejoin happens on a fresh kafkajs consumer with the same handlers.
 */
export class KafkajsGroupConsumer implements KafkaGroupConsumer {
  private closed = false;
  /** Set once the consumer crashed for good (the handlers were told): it is not revived by a rejoin. */
  private crashed = false;
  private consumer: Consumer | null = null;
  /** The instance being replaced: its group events are no longer the task's business. */
  private retiring: Consumer | null = null;
  private topics: readonly string[] = [];
  private handlers: ConsumerHandlers | null = null;
  private refreshTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly createConsumer: KafkajsConsumerFactory,
    private readonly subscription: KafkajsSubscription,
    private readonly logger: Logger,
    private readonly groupId: string,
  ) {}

  /** Connects and subscribes; the group is joined by run(). */
  async connect(): Promise<void> {
    this.topics = await this.currentTopics();
    this.consumer = await this.subscribed(this.topics);
  }

  private get current(): Consumer {
    if (this.consumer === null) throw new Error('consumer used before connect()');
    return this.consumer;
  }

  private async currentTopics(): Promise<readonly string[]> {
    const { topics } = this.subscription;
    if (!(topics instanceof RegExp)) return topics;
    return topicsMatching(topics, await this.subscription.listTopics());
  }

  /** A connected kafkajs consumer subscribed to `topics`, not yet running. */
  private async subscribed(topics: readonly string[]): Promise<Consumer> {
    // kafkajs restarts a crashed consumer on its own, even one close() has stopped: only the instance
    // the task consumes through, and only until close(), may come back.
    const instance: Consumer = this.createConsumer(() => this.isCurrent(instance));
    try {
      await instance.connect();
      await instance.subscribe({ topics: [...topics], fromBeginning: this.subscription.fromBeginning });
    } catch (error) {
      await instance.disconnect().catch(() => undefined);
      throw error;
    }
    return instance;
  }

  /** True for events of the instance the task consumes through. */
  private isCurrent(instance: Consumer): boolean {
    return !this.closed && instance === this.consumer && instance !== this.retiring;
  }

  async run(handlers: ConsumerHandlers): Promise<void> {
    this.handlers = handlers;
    await this.start(this.current, handlers);
    if (this.subscription.topics instanceof RegExp) this.scheduleRefresh();
  }

  private async start(instance: Consumer, handlers: ConsumerHandlers): Promise<void> {
    instance.on(instance.events.GROUP_JOIN, (event) => {
      if (instance === this.retiring) return;
      // kafkajs restarts a crashed consumer on its own, even when close() ran meanwhile (or the instance
      // was replaced): such a consumer would rejoin the group and hold partitions nobody consumes. Leave again.
      if (!this.isCurrent(instance)) {
        void instance.disconnect().catch(() => undefined);
        return;
      }
      const assignment = event.payload.memberAssignment as Record<string, number[]>;
      const refs: PartitionRef[] = [];
      for (const [topic, parts] of Object.entries(assignment))
        for (const partition of parts) refs.push({ topic, partition });
      void handlers.onAssignment(refs);
    });
    instance.on(instance.events.CRASH, (event) => {
      if (!this.isCurrent(instance) || event.payload.restart) return;
      this.crashed = true;
      handlers.onStop?.(event.payload.error);
    });
    await instance.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        // kafkajs does not expose the batch's timestamp type; CreateTime is what topics default to.
        const messages = batch.messages.map((m) => toConsumed(batch.topic, batch.partition, m, false));
        const delivered = await handlers.onBatch(
          {
            topic: batch.topic,
            partition: batch.partition,
            messages,
            highWatermark: Number(batch.highWatermark),
          },
          { heartbeat, isRunning },
        );
        if (delivered) resolveOffset(batch.lastOffset());
      },
    });
  }

  private scheduleRefresh(): void {
    this.refreshTimer = setTimeout(() => {
      void this.refresh().finally(() => {
        if (!this.closed && !this.crashed) this.scheduleRefresh();
      });
    }, this.subscription.refreshIntervalMs);
    this.refreshTimer.unref();
  }

  /** Rejoins with the topics the pattern matches now, when they differ from the subscribed ones. */
  private async refresh(): Promise<void> {
    let topics: readonly string[];
    try {
      topics = await this.currentTopics();
    } catch (error) {
      this.logger.warn('could not list topics for the topics.regex subscription; trying again later', {
        groupId: this.groupId,
        error: String(error),
      });
      return;
    }
    if (this.closed || this.crashed || sameTopics(topics, this.topics)) return;
    const before = new Set(this.topics);
    const after = new Set(topics);
    this.logger.info('topics matching topics.regex changed; rejoining the consumer group', {
      groupId: this.groupId,
      added: topics.filter((t) => !before.has(t)),
      removed: this.topics.filter((t) => !after.has(t)),
    });
    try {
      await this.resubscribe(topics);
    } catch (error) {
      this.logger.warn('could not subscribe to the new topics; trying again later', {
        groupId: this.groupId,
        error: String(error),
      });
    }
  }

  private async resubscribe(topics: readonly string[]): Promise<void> {
    const handlers = this.handlers;
    if (handlers === null) return;
    const next = await this.subscribed(topics);
    const old = this.current;
    if (this.closed) {
      await next.disconnect().catch(() => undefined);
      return;
    }
    this.retiring = old;
    try {
      // As in the Java consumer's (eager) rebalance, every partition is revoked before the member
      // leaves: the task commits what it wrote and closes them, so the new member re-reads nothing.
      await handlers.onAssignment([]);
    } catch (error) {
      this.logger.warn('revoking partitions before rejoining failed', {
        groupId: this.groupId,
        error: String(error),
      });
    }
    this.consumer = next;
    this.topics = topics;
    this.retiring = null;
    await old.disconnect().catch(() => undefined);
    if (this.closed) {
      await next.disconnect().catch(() => undefined);
      return;
    }
    await this.start(next, handlers);
  }

  async commit(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    await this.current.commitOffsets(
      offsets.map((o) => ({ topic: o.topic, partition: o.partition, offset: String(o.offset) })),
    );
  }

  seek(position: PartitionOffset): void {
    this.current.seek({
      topic: position.topic,
      partition: position.partition,
      offset: String(position.offset),
    });
  }

  pause(partitions: readonly PartitionRef[]): void {
    if (partitions.length > 0) this.current.pause(groupByTopic(partitions));
  }

  resume(partitions: readonly PartitionRef[]): void {
    if (partitions.length > 0) this.current.resume(groupByTopic(partitions));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    await this.consumer?.disconnect();
  }
}
