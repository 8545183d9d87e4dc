/** Runs async jobs one at a time, in submission order (e.g. a sink's put and its offset commit never overlap). */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every job submitted so far has finished. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
