/** A wake-up: `wait` resolves after `ms` or as soon as `wake` is called, whichever comes first. */
export class WakeSignal {
  private readonly waiters = new Set<() => void>();

  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.waiters.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.waiters.add(finish);
    });
  }

  wake(): void {
    for (const finish of [...this.waiters]) finish();
  }
}
