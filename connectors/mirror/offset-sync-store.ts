import type { OffsetSync } from './offset-sync.js';

/** Syncs kept per partition before older ones are thinned out. */
export const MAX_SYNCS_PER_PARTITION = 1_000;

/**
 * The offset syncs read so far, per source partition, for translating consumer positions (MM2's
 * OffsetSyncStore). Translation errs toward re-reading: it never returns a downstream offset past
 * records the consumer had not read upstream.
 *
 * Recent syncs are all kept, so a consumer near the head re-reads at most offset.lag.max records.
 * When a partition has too many, every other one of the older half is dropped (the oldest always
 * stays): old positions still translate, only more coarsely, like MM2's exponentially spaced syncs,
 * instead of becoming untranslatable.
 */
export class OffsetSyncStore {
  private readonly byPartition = new Map<string, OffsetSync[]>();

  constructor(private readonly maxSyncsPerPartition: number = MAX_SYNCS_PER_PARTITION) {}

  add(sync: OffsetSync): void {
    const key = `${sync.topic}\u0000${sync.partition}`;
    let list = this.byPartition.get(key);
    if (list === undefined) this.byPartition.set(key, (list = []));
    // A restart or a truncation starts a new history: older syncs above this one no longer hold.
    while (
      list.length > 0 &&
      (list[list.length - 1]!.upstreamOffset >= sync.upstreamOffset ||
        list[list.length - 1]!.downstreamOffset > sync.downstreamOffset)
    )
      list.pop();
    list.push(sync);
    if (list.length > this.maxSyncsPerPartition) this.byPartition.set(key, thinOlderHalf(list));
  }

  /**
   * The downstream offset a consumer at upstream position `upstreamOffset` (next to read) may resume
   * from, or null when no sync at or before that position is known.
   */
  translateDownstream(topic: string, partition: number, upstreamOffset: number): number | null {
    const list = this.byPartition.get(`${topic}\u0000${partition}`);
    if (list === undefined) return null;
    let found: OffsetSync | undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i]!.upstreamOffset <= upstreamOffset) {
        found = list[i];
        break;
      }
    }
    if (found === undefined) return null;
    // At the sync exactly: resume at its downstream record. Past it: the consumer read the synced
    // record, but how far beyond is unknown downstream, so resume just after it.
    return found.upstreamOffset === upstreamOffset ? found.downstreamOffset : found.downstreamOffset + 1;
  }
}

/** Keeps the first sync, every other one of the rest of the older half, and all of the newer half. */
function thinOlderHalf(list: readonly OffsetSync[]): OffsetSync[] {
  const half = Math.floor(list.length / 2);
  return list.filter((_, i) => i === 0 || i >= half || i % 2 === 0);
}
