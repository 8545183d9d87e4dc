import type { Lsn } from './lsn.js';

/**
 * Decides how far the slot may be confirmed: up to the end of the last transaction all of whose records
 * were polled, acknowledged by Kafka (commitRecord) and covered by a committed offset (commit).
 */
export class FlushTracker {
  private polledRecords = 0;
  private acknowledgedRecords = 0;
  /** Commit markers in stream order, each with how many records had been polled before it. */
  private pending: { readonly endLsn: Lsn; readonly afterRecords: number }[] = [];
  private confirmedLsn: Lsn;

  constructor(initial: Lsn) {
    this.confirmedLsn = initial;
  }

  get confirmed(): Lsn {
    return this.confirmedLsn;
  }

  recordPolled(): void {
    this.polledRecords++;
  }

  commitPolled(endLsn: Lsn): void {
    this.pending.push({ endLsn, afterRecords: this.polledRecords });
  }

  recordAcknowledged(): void {
    this.acknowledgedRecords++;
  }

  /** Called when offsets are durably stored; returns the new confirmed LSN, or null when it did not move. */
  offsetsCommitted(): Lsn | null {
    let moved: Lsn | null = null;
    while (this.pending.length > 0 && this.pending[0]!.afterRecords <= this.acknowledgedRecords) {
      const marker = this.pending.shift()!;
      if (marker.endLsn > this.confirmedLsn) {
        this.confirmedLsn = marker.endLsn;
        moved = marker.endLsn;
      }
    }
    return moved;
  }
}
