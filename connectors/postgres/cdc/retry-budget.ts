/**
 * Debezium's `errors.max.retries`: how many reconnects in a row a task may make after retriable errors
 * (-1 = no limit, 0 = none). The count starts over once the task is healthy again (change events flow).
 */
export class RetryBudget {
  private used = 0;

  constructor(private readonly maxRetries: number) {}

  /** Reconnect attempts made since the last reset. */
  get attempts(): number {
    return this.used;
  }

  get limit(): string {
    return this.maxRetries < 0 ? 'unlimited' : String(this.maxRetries);
  }

  /** Claims the next attempt: its number (1-based), or null when no retry is left. */
  take(): number | null {
    if (this.maxRetries >= 0 && this.used >= this.maxRetries) return null;
    this.used++;
    return this.used;
  }

  reset(): void {
    this.used = 0;
  }
}
