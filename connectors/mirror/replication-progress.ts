import type { Logger } from '../../runtime/api/index.js';

/** How often a busy mirror task says how it is doing. */
const PROGRESS_INTERVAL_MS = 10_000;

/**
 * Catch-up progress of a mirror task: every interval in which records moved, one line with how many,
 * the rate, and the age of the newest record copied (MM2's record-age-ms). A large age means the task is
 * still catching up on a backlog; an age near zero means it keeps up with the source.
 */
export class ReplicationProgress {
  private records = 0;
  private bytes = 0;
  private newestTimestamp = -1;
  private since: number;

  constructor(
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.since = now();
  }

  /** After a poll: how many records it returned, their size, and the newest record timestamp among them. */
  polled(records: number, bytes: number, newestTimestamp: number): void {
    this.records += records;
    this.bytes += bytes;
    this.newestTimestamp = Math.max(this.newestTimestamp, newestTimestamp);
    const now = this.now();
    const elapsed = now - this.since;
    if (elapsed < PROGRESS_INTERVAL_MS) return;
    if (this.records > 0) {
      const ageMs = this.newestTimestamp >= 0 ? Math.max(0, now - this.newestTimestamp) : null;
      const state = ageMs !== null && ageMs > PROGRESS_INTERVAL_MS ? 'catching up' : 'keeping up';
      this.logger.info(
        `replicated ${this.records} record(s) in ${Math.round(elapsed / 1000)} s (${Math.round((this.records * 1000) / elapsed)} records/s)${ageMs === null ? '' : `, newest record ${Math.round(ageMs / 1000)} s old: ${state}`}`,
        {
          records: this.records,
          byteRate: Math.round((this.bytes * 1000) / elapsed),
          ...(ageMs === null ? {} : { recordAgeMs: ageMs }),
        },
      );
    }
    this.records = 0;
    this.bytes = 0;
    this.newestTimestamp = -1;
    this.since = now;
  }
}
