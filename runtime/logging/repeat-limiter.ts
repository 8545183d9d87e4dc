/**
 * Decides whether a line that repeats should be written: the first of a cause is, then at most one per
 * interval, telling how many were held back. A Kafka outage thus prints one line per cause every
 * interval instead of one per retry.
 */
export class RepeatLimiter {
  private readonly seen = new Map<string, { lastWritten: number; held: number }>();

  constructor(
    private readonly intervalMs = 30_000,
    private readonly now: () => number = Date.now,
    /** Causes remembered at most; the oldest is forgotten first (a cause names a broker or topic). */
    private readonly maxCauses = 500,
  ) {}

  /** null: hold the line back; otherwise how many lines of this cause were held back since the last one. */
  admit(cause: string): number | null {
    const now = this.now();
    const entry = this.seen.get(cause);
    if (entry !== undefined && now - entry.lastWritten < this.intervalMs) {
      entry.held++;
      return null;
    }
    const held = entry?.held ?? 0;
    this.seen.delete(cause);
    this.seen.set(cause, { lastWritten: now, held: 0 });
    if (this.seen.size > this.maxCauses) this.seen.delete(this.seen.keys().next().value!);
    return held;
  }
}
