import type { SourceOffset, SourcePartition } from '../api/records.js';
import type { SourceOffsetEntry } from '../storage/offset-store.js';
import { canonicalJson } from '../storage/canonical-json.js';

/**
 * Source offsets that Kafka has acknowledged but that are not yet written to the offset store.
 * Only acknowledged records are ever added, so committing `drain()` never skips an unsent record.
 */
export class SourceOffsetTracker {
  private pending = new Map<string, SourceOffsetEntry>();

  acknowledged(partition: SourcePartition, offset: SourceOffset): void {
    this.pending.set(canonicalJson(partition), { partition, offset });
  }

  get isEmpty(): boolean {
    return this.pending.size === 0;
  }

  /** Takes the pending offsets; call `restore` with them if writing them failed. */
  drain(): SourceOffsetEntry[] {
    const entries = [...this.pending.values()];
    this.pending = new Map();
    return entries;
  }

  /** Puts back offsets whose write failed, unless a newer offset for the same partition arrived meanwhile. */
  restore(entries: readonly SourceOffsetEntry[]): void {
    for (const e of entries) {
      const key = canonicalJson(e.partition);
      if (!this.pending.has(key)) this.pending.set(key, e);
    }
  }
}
