import type { Consumer } from 'kafkajs';
import type { Logger } from '../api/logger.js';
import { toConsumedMessage } from './kafkajs-consumed-message.js';
import { SluiceError } from '../errors/sluice-error.js';
import { JoinWatchdog } from './join-watchdog.js';
import { sameTopics, topicsMatching } from './topic-pattern.js';
import type { ConsumerHandlers, KafkaGroupConsumer, PartitionOffset, PartitionRef } from './types.js';

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

/** Beyond session.timeout.ms + rebalance timeout, for the network and the coordinator's own timers. */
const JOIN_MARGIN_MS = 5_000;
/** Members tried in turn (the first and fresh ones) before the consumer gives up on a join. */
const JOIN_MEMBERS = 3;
/** How often a consumer that waits for its assignment says so. */
const JOIN_REPORT_EVERY_MS = 5_000;
/** How long a replaced member may take to leave before its successor joins anyway. */
const RETIRE_TIMEOUT_MS = 5_000;

/** The group timeouts this member joins with; they bound how long a join may legitimately take. */
export interface GroupTimeouts {
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
}

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
 *
 * A join that gets no assignment within session.timeout.ms + rebalance timeout (+ a margin) is past
 * anything the coordinator waits for (dead members expire after their session timeout, live ones must
 * rejoin within the rebalance timeout): the member is replaced by a fresh one, and after
 * JOIN_MEMBERS members the consumer stops with KAFKA_GROUP_JOIN_TIMEOUT naming the group.
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
  private readonly joinWatchdog: JoinWatchdog;
  /** Members that replaced an overdue one during the current wait. */
  private freshMembers = 0;

  constructor(
    private readonly createConsumer: KafkajsConsumerFactory,
    private readonly subscription: KafkajsSubscription,
    private readonly logger: Logger,
    private readonly groupId: string,
    timeouts: GroupTimeouts,
  ) {
    this.joinWatchdog = new JoinWatchdog(
      {
        overdueAfterMs: timeouts.sessionTimeoutMs + timeouts.rebalanceTimeoutMs + JOIN_MARGIN_MS,
        reportEveryMs: JOIN_REPORT_EVERY_MS,
      },
      {
        waiting: (waitedMs, since) =>
          this.handlers?.onJoinWait?.({ groupId, since, waitedMs, freshMembers: this.freshMembers }),
        overdue: (waitedMs) => void this.joinOverdue(waitedMs),
      },
    );
  }

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

  /** True for events of the instance the task consumes through (none once it closed or gave up). */
  private isCurrent(instance: Consumer): boolean {
    return !this.closed && !this.crashed && instance === this.consumer && instance !== this.retiring;
  }

  async run(handlers: ConsumerHandlers): Promise<void> {
    this.handlers = handlers;
    await this.start(this.current, handlers);
    if (this.subscription.topics instanceof RegExp) this.scheduleRefresh();
  }

  private async start(instance: Consumer, handlers: ConsumerHandlers): Promise<void> {
    this.joinWatchdog.joining();
    instance.on(instance.events.GROUP_JOIN, (event) => {
      if (instance === this.retiring) return;
      // kafkajs restarts a crashed consumer on its own, even when close() ran meanwhile (or the instance
      // was replaced): such a consumer would rejoin the group and hold partitions nobody consumes. Leave again.
      if (!this.isCurrent(instance)) {
        void instance.disconnect().catch(() => undefined);
        return;
      }
      this.joinWatchdog.joined();
      this.freshMembers = 0;
      const assignment = event.payload.memberAssignment as Record<string, number[]>;
      const refs: PartitionRef[] = [];
      for (const [topic, parts] of Object.entries(assignment))
        for (const partition of parts) refs.push({ topic, partition });
      void handlers.onAssignment(refs);
    });
    // kafkajs rejoins silently after these; the watchdog times the join.
    instance.on(instance.events.REBALANCING, () => {
      if (this.isCurrent(instance)) this.joinWatchdog.joining();
    });
    instance.on(instance.events.CRASH, (event) => {
      if (!this.isCurrent(instance)) return;
      if (event.payload.restart) {
        // kafkajs restarts as a new member (and logs the crash): that member gets its own deadline, so
        // Kafka being down keeps the task waiting and retrying, never failing it.
        this.joinWatchdog.freshMember();
        return;
      }
      this.crashed = true;
      this.joinWatchdog.stop();
      handlers.onStop?.(event.payload.error);
    });
    await instance.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, heartbeat, isRunning, isStale, resolveOffset }) => {
        if (!isRunning() || isStale() || batch.messages.length === 0) return;
        const messages = batch.messages.map((m) => toConsumedMessage(batch.topic, batch.partition, m));
        const delivered = await handlers.onBatch(
          {
            topic: batch.topic,
            partition: batch.partition,
            messages,
            highWatermark: Number(batch.highWatermark),
          },
          { heartbeat, isRunning, isStale },
        );
        if (delivered) resolveOffset(batch.lastOffset());
      },
    });
  }

  /** The current member waited past anything the coordinator waits for: replace it, or give up. */
  private async joinOverdue(waitedMs: number): Promise<void> {
    if (this.closed || this.crashed) return;
    if (this.freshMembers + 1 >= JOIN_MEMBERS) {
      this.crashed = true;
      const error = new SluiceError('KAFKA_GROUP_JOIN_TIMEOUT', [
        this.groupId,
        Math.round(waitedMs / 1000),
        this.freshMembers + 1,
        JOIN_MARGIN_MS,
        this.groupId,
      ]);
      this.joinWatchdog.stop();
      this.handlers?.onStop?.(error);
      // Leave the group: a member that stopped consuming must not be assigned partitions.
      void this.consumer?.disconnect().catch(() => undefined);
      return;
    }
    this.freshMembers++;
    this.logger.warn('no partition assignment from the consumer group in time; rejoining as a fresh member', {
      groupId: this.groupId,
      waitedMs,
      member: this.freshMembers + 1,
      of: JOIN_MEMBERS,
    });
    this.joinWatchdog.freshMember();
    try {
      await this.resubscribe(this.topics);
    } catch (error) {
      // Not counted: Kafka is not reachable, which is no stall of the group. The watchdog runs again, so
      // the next deadline tries another fresh member.
      this.freshMembers--;
      this.logger.warn('could not create a fresh group member; trying again at the next deadline', {
        groupId: this.groupId,
        error: String(error),
      });
    }
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
    // Leaving first spares the fresh member a wait for the old one's session to expire; but an old member
    // stuck in a join may not finish disconnecting until that join ends, so do not wait for it for long.
    let retired: NodeJS.Timeout | undefined;
    await Promise.race([
      old.disconnect().catch(() => undefined),
      new Promise((resolve) => (retired = setTimeout(resolve, RETIRE_TIMEOUT_MS))),
    ]);
    clearTimeout(retired);
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

  // kafkajs throws on pause/resume once it stopped: a consumer that crashed or closed has nothing to pause.
  pause(partitions: readonly PartitionRef[]): void {
    if (partitions.length > 0 && !this.closed && !this.crashed) this.current.pause(groupByTopic(partitions));
  }

  resume(partitions: readonly PartitionRef[]): void {
    if (partitions.length > 0 && !this.closed && !this.crashed) this.current.resume(groupByTopic(partitions));
  }

  async close(): Promise<void> {
    this.closed = true;
    this.joinWatchdog.stop();
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    await this.consumer?.disconnect();
  }
}
