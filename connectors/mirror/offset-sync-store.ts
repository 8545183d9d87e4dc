import type { OffsetSync } from './offset-sync.js';

/** Syncs kept per partition; older ones only help translate very old consumer positions. */
const MAX_SYNCS_PER_PARTITION = 1_000;

/**
 * The offset syncs read so far, per source partition, for translating consumer positions (MM2's
 * OffsetSyncStore). Translation errs toward re-reading: it never returns a downstream offset past
 * records the consumer had not read upstream.
 */
export class OffsetSyncStore {
  private readonly byPartition = new Map<string, OffsetSync[]>();

  add(sync: OffsetSync): void {
    const key = `${sync.topic}\u0000${sync.partition}`;
    let list = this.byPartition.get(key);
    if (list === undefined) this.byPartition.set(key, (list = []));
    const last = list[list.length - 1];
    // A restart or a truncation starts a new history: older syncs above this one no longer hold.
    if (last !== undefined && (sync.upstreamOffset <= last.upstreamOffset || sync.downstreamOffset < last.downstreamOffset)) {
      while (list.length > 0 && (list[list.length - 1]!.upstreamOffset >= sync.upstreamOffset || list[list.length - 1]!.downstreamOffset > sync.downstreamOffset)) list.pop();
    }
    list.push(sync);
    if (list.length > MAX_SYNCS_PER_PARTITION) list.splice(0, list.length - MAX_SYNCS_PER_PARTITION);
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
