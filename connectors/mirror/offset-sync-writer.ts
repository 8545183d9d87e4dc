import type { KafkaProducer, Logger } from '../../runtime/api/index.js';
import { encodeOffsetSyncKey, encodeOffsetSyncValue, type OffsetSync } from './offset-sync.js';

/**
 * Decides when a replicated record deserves an offset sync (MM2's PartitionState): the first record
 * of this task's life, an upstream gap, a downstream truncation, or when translating through the last
 * sync would put a consumer more than offset.lag.max records behind.
 */
export class PartitionSyncState {
  private previousUpstream = -1;
  private previousDownstream = -1;
  private lastSyncDownstream = -1;

  constructor(private readonly maxOffsetLag: number) {}

  update(upstreamOffset: number, downstreamOffset: number): boolean {
    const first = this.lastSyncDownstream === -1;
    // Translation lands one past the last sync, hence the +1.
    const tooStale = downstreamOffset - (this.lastSyncDownstream + 1) >= this.maxOffsetLag;
    const skippedUpstream = upstreamOffset - this.previousUpstream !== 1;
    const truncatedDownstream = downstreamOffset < this.previousDownstream;
    const sync = first || tooStale || skippedUpstream || truncatedDownstream;
    if (sync) this.lastSyncDownstream = downstreamOffset;
    this.previousUpstream = upstreamOffset;
    this.previousDownstream = downstreamOffset;
    return sync;
  }
}

/**
 * Bound on syncs waiting to be written while the offset-syncs cluster is unreachable; the oldest go
 * first, which only makes translation of old positions coarser.
 */
export const MAX_PENDING_OFFSET_SYNCS = 50_000;

const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * Which offset syncs to write, in order. Every sync PartitionSyncState asks for is written: the worker
 * acknowledges a whole produced batch at once, so replacing a pending sync with a newer one of the same
 * partition (as MM2 may) would leave only the batch's last sync and translation could fall thousands of
 * records behind, or find no sync at all. Besides those, the newest replicated record of each partition
 * is remembered and promoted at commit (MM2's delayed syncs), so a consumer that is caught up translates
 * exactly instead of up to offset.lag.max records early.
 */
export class OffsetSyncQueue {
  private readonly states = new Map<string, PartitionSyncState>();
  private readonly delayed = new Map<string, OffsetSync>();
  private pending: OffsetSync[] = [];
  private dropped = 0;

  constructor(
    private readonly maxOffsetLag: number,
    private readonly maxPending: number = MAX_PENDING_OFFSET_SYNCS,
  ) {}

  /** Upstream `upstreamOffset` of topic/partition landed at `downstreamOffset` on the target. */
  replicated(topic: string, partition: number, upstreamOffset: number, downstreamOffset: number): void {
    const key = keyOf(topic, partition);
    let state = this.states.get(key);
    if (state === undefined) this.states.set(key, (state = new PartitionSyncState(this.maxOffsetLag)));
    const sync: OffsetSync = { topic, partition, upstreamOffset, downstreamOffset };
    if (state.update(upstreamOffset, downstreamOffset)) {
      this.delayed.delete(key);
      this.pending.push(sync);
      this.bound();
    } else {
      this.delayed.set(key, sync);
    }
  }

  /** Queues the newest not yet synced record of each partition (call at offset commit). */
  promoteDelayed(): void {
    for (const sync of this.delayed.values()) this.pending.push(sync);
    this.delayed.clear();
    this.bound();
  }

  /** Everything pending, oldest first; the caller writes them or gives them back with `requeue`. */
  take(): OffsetSync[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /** Puts syncs whose write failed back in front of newer ones, keeping each partition's order. */
  requeue(syncs: readonly OffsetSync[]): void {
    this.pending = [...syncs, ...this.pending];
    this.bound();
  }

  get size(): number {
    return this.pending.length;
  }

  /** Syncs dropped so far because too many were waiting. */
  get droppedCount(): number {
    return this.dropped;
  }

  private bound(): void {
    const excess = this.pending.length - this.maxPending;
    if (excess <= 0) return;
    this.pending.splice(0, excess);
    this.dropped += excess;
  }
}

/** Writes due offset syncs in batches, one batch in flight at a time, without ever failing replication. */
export class OffsetSyncWriter {
  private readonly queue: OffsetSyncQueue;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly producer: KafkaProducer,
    private readonly topic: string,
    maxOffsetLag: number,
    private readonly logger: Logger,
  ) {
    this.queue = new OffsetSyncQueue(maxOffsetLag);
  }

  /** Records that upstream `upstreamOffset` of topic/partition landed at `downstreamOffset` on the target. */
  replicated(topic: string, partition: number, upstreamOffset: number, downstreamOffset: number): void {
    this.queue.replicated(topic, partition, upstreamOffset, downstreamOffset);
  }

  /** At offset commit: also sync the newest record of each partition, then start writing. */
  commit(): void {
    this.queue.promoteDelayed();
    this.flushInBackground();
  }

  /** Starts sending what is pending unless a send is under way; never waits for Kafka. */
  flushInBackground(): void {
    if (this.inFlight !== null || this.queue.size === 0) return;
    const syncs = this.queue.take();
    this.inFlight = this.producer
      .send(
        syncs.map((s) => ({
          topic: this.topic,
          partition: 0,
          key: encodeOffsetSyncKey(s),
          value: encodeOffsetSyncValue(s),
          headers: [],
        })),
      )
      .then(() => undefined)
      .catch((error: unknown) => {
        // A lost sync only makes translation coarser (consumers re-read more); never fail replication for it.
        this.logger.warn('could not write offset syncs; will retry', {
          syncs: syncs.length,
          droppedSoFar: this.queue.droppedCount,
          error: String(error),
        });
        this.queue.requeue(syncs);
      })
      .finally(() => (this.inFlight = null));
  }

  async close(): Promise<void> {
    await this.inFlight;
    this.commit();
    await this.inFlight;
  }
}
