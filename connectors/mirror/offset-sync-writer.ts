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

/** Collects due offset syncs and writes the newest per partition in batches, one batch in flight at a time. */
export class OffsetSyncWriter {
  private readonly states = new Map<string, PartitionSyncState>();
  private readonly pending = new Map<string, OffsetSync>();
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly producer: KafkaProducer,
    private readonly topic: string,
    private readonly maxOffsetLag: number,
    private readonly logger: Logger,
  ) {}

  /** Records that upstream `upstreamOffset` of topic/partition landed at `downstreamOffset` on the target. */
  replicated(topic: string, partition: number, upstreamOffset: number, downstreamOffset: number): void {
    const key = `${topic}\u0000${partition}`;
    let state = this.states.get(key);
    if (state === undefined) this.states.set(key, (state = new PartitionSyncState(this.maxOffsetLag)));
    if (state.update(upstreamOffset, downstreamOffset)) this.pending.set(key, { topic, partition, upstreamOffset, downstreamOffset });
  }

  /** Starts sending what is pending unless a send is under way; never waits for Kafka. */
  flushInBackground(): void {
    if (this.inFlight !== null || this.pending.size === 0) return;
    const syncs = [...this.pending.values()];
    this.pending.clear();
    this.inFlight = this.producer
      .send(syncs.map((s) => ({ topic: this.topic, partition: 0, key: encodeOffsetSyncKey(s), value: encodeOffsetSyncValue(s), headers: [] })))
      .then(() => undefined)
      .catch((error: unknown) => {
        // A lost sync only makes translation coarser (consumers re-read more); never fail replication for it.
        this.logger.warn('could not write offset syncs', { error: String(error) });
        for (const s of syncs) {
          const key = `${s.topic}\u0000${s.partition}`;
          if (!this.pending.has(key)) this.pending.set(key, s);
        }
      })
      .finally(() => (this.inFlight = null));
  }

  async close(): Promise<void> {
    await this.inFlight;
    this.flushInBackground();
    await this.inFlight;
  }
}
