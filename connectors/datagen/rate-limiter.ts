/** Longest stretch of unused allowance that may be spent at once; a task resumed after a pause does not burst. */
const MAX_BACKLOG_MS = 1000;

/**
 * Spaces records evenly at `perSecond`: by `elapsed` ms after the start, at most
 * floor(elapsed * perSecond / 1000) + 1 records have been granted.
 */
export class RateLimiter {
  private startedAt: number;
  private granted = 0;

  constructor(
    private readonly perSecond: number,
    now: number,
  ) {
    this.startedAt = now;
  }

  /** How many of `wanted` records may go out at `now` (possibly 0); those are counted as sent. */
  take(wanted: number, now: number): number {
    if (this.allowanceAt(now) - this.granted > (this.perSecond * MAX_BACKLOG_MS) / 1000 + 1) {
      this.startedAt = now;
      this.granted = 0;
    }
    const granted = Math.max(0, Math.min(wanted, this.allowanceAt(now) - this.granted));
    this.granted += granted;
    return granted;
  }

  /** Milliseconds from `now` until take can grant another record. */
  msUntilNext(now: number): number {
    return Math.max(0, Math.ceil(this.startedAt + (this.granted * 1000) / this.perSecond - now));
  }

  private allowanceAt(now: number): number {
    return Math.floor(((now - this.startedAt) * this.perSecond) / 1000) + 1;
  }
}
