import type { ConsumedMessage } from './types.js';

/** A bounded hand-off between kafkajs's fetch loop and the reader. */
export class BufferedMessages {
  private readonly batches: ConsumedMessage[][] = [];
  private count = 0;
  private error: Error | null = null;
  private closed = false;
  private onData: (() => void) | null = null;
  private onSpace: (() => void) | null = null;

  constructor(private readonly max: number) {}

  async push(messages: ConsumedMessage[], heartbeat: () => Promise<void>): Promise<void> {
    while (this.count >= this.max && !this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1_000);
        this.onSpace = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      await heartbeat().catch(() => undefined);
    }
    if (this.closed) return;
    this.batches.push(messages);
    this.count += messages.length;
    this.onData?.();
  }

  async take(maxWaitMs: number, maxMessages: number): Promise<ConsumedMessage[]> {
    if (this.error) throw this.error;
    if (this.count === 0 && maxWaitMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, maxWaitMs);
        this.onData = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.onData = null;
    }
    const out: ConsumedMessage[] = [];
    while (this.batches.length > 0 && out.length < maxMessages) {
      const batch = this.batches[0]!;
      const room = maxMessages - out.length;
      if (batch.length <= room) {
        out.push(...batch);
        this.batches.shift();
      } else {
        out.push(...batch.splice(0, room));
      }
    }
    this.count -= out.length;
    this.onSpace?.();
    this.onSpace = null;
    return out;
  }

  fail(error: Error): void {
    this.error = error;
    this.onData?.();
  }

  close(): void {
    this.closed = true;
    this.onSpace?.();
    this.onData?.();
  }
}
