/** How long a group member may wait for its assignment, and how often it says that it still waits. */
export interface JoinWatchdogOptions {
  /** One member's wait after which it is replaced by a fresh member. */
  readonly overdueAfterMs: number;
  /** How often a member that still waits is reported (the first report comes after this long, too). */
  readonly reportEveryMs: number;
}

export interface JoinWatchdogEvents {
  /** Still waiting since `since` (ms since the epoch): `waitedMs` so far, across fresh members. */
  waiting(waitedMs: number, since: number): void;
  /** The current member waited `overdueAfterMs` without an assignment. */
  overdue(waitedMs: number): void;
}

/**
 * The clock of one consumer's wait for a group assignment. A join can stall for good (a request lost
 * while the coordinator rebalanced, a client stuck in its own retries) and the client reports nothing
 * meanwhile; this turns such a wait into reports and, past a deadline, an `overdue` call.
 */
export class JoinWatchdog {
  /** When the wait began (null: not waiting). Kept across fresh members, so reports say the whole wait. */
  private waitingSince: number | null = null;
  /** When the current member began to wait. */
  private memberSince = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly options: JoinWatchdogOptions,
    private readonly events: JoinWatchdogEvents,
    private readonly now: () => number = Date.now,
  ) {}

  get waiting(): boolean {
    return this.waitingSince !== null;
  }

  /** A join began (start, rebalance, restart after a crash); a wait already running goes on. */
  joining(): void {
    if (this.waitingSince !== null) return;
    this.waitingSince = this.memberSince = this.now();
    this.schedule();
  }

  /** A fresh member replaces the overdue one: its own deadline starts now, the overall wait goes on. */
  freshMember(): void {
    this.memberSince = this.now();
    if (this.waitingSince === null) this.waitingSince = this.memberSince;
    this.schedule();
  }

  /** The member got its assignment. */
  joined(): void {
    this.waitingSince = null;
    this.clear();
  }

  stop(): void {
    this.joined();
  }

  private schedule(): void {
    this.clear();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick();
    }, this.options.reportEveryMs);
    this.timer.unref();
  }

  private clear(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private tick(): void {
    if (this.waitingSince === null) return;
    const now = this.now();
    const waited = now - this.waitingSince;
    // Overdue: nothing more to report until the owner decides (freshMember() or stop()).
    if (now - this.memberSince >= this.options.overdueAfterMs) this.events.overdue(waited);
    else {
      this.schedule();
      this.events.waiting(waited, this.waitingSince);
    }
  }
}
