/**
 * A sleep that stop() can cut short. Tasks wait between polls for new data; the worker may call stop()
 * while such a poll is pending and expects it to return promptly rather than after the full wait.
 */
export class InterruptibleSleep {
  private timer: NodeJS.Timeout | null = null;
  private wake: (() => void) | null = null;

  sleep(ms: number): Promise<void> {
    this.interrupt();
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(() => this.interrupt(), Math.max(0, ms));
    });
  }

  /** Ends the current sleep now; harmless when nobody is sleeping. */
  interrupt(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
