/** Which way a task's bytes flow: a source task produces, a sink task consumes. */
export type ThrottledFlow = 'produce' | 'consume';

/** How long one wait may last before the task checks whether it is stopping (and a sink heartbeats). */
const MAX_WAIT_STEP_MS = 250;

/** What a throttled task waits on before it sends (source) or puts (sink) a batch. */
export interface TaskThrottle {
  /** The quota now; null while there is none. */
  readonly bytesPerSecond: number | null;
  /**
   * Takes `bytes` from the quota, waiting as long as the quota needs. Between waits `between` runs (a
   * sink's heartbeat); the wait ends early once `stopping()` says so.
   */
  take(bytes: number, stopping: () => boolean, between?: () => Promise<void>): Promise<void>;
}

/** The throttle of a connector's tasks, or null when no quota applies to it. */
export interface TaskThrottles {
  forConnector(connector: string, flow: ThrottledFlow): TaskThrottle | null;
}

/** Who shares a quota and how large it is now; null: the connector has no quota for that flow. */
export interface ByteRateQuota {
  /** The quota's owner (a tenant): every connector of one owner shares one bucket per flow. */
  readonly owner: string;
  readonly bytesPerSecond: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A token bucket that may go into debt: a batch larger than the bucket is let through at once and the
 * next one waits until the debt is paid. So the long-run rate is exactly the quota whatever the batch
 * size, and a burst after idling is at most one second's worth. The rate is read on every take, so a
 * changed quota applies at once.
 */
export class ByteRateBucket implements TaskThrottle {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: () => number | null,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = 0;
    this.last = this.now();
  }

  get bytesPerSecond(): number | null {
    return this.rate();
  }

  async take(bytes: number, stopping: () => boolean, between?: () => Promise<void>): Promise<void> {
    const rate = this.rate();
    if (rate === null || bytes <= 0) return;
    this.refill(rate);
    this.tokens -= bytes;
    while (this.tokens < 0 && !stopping()) {
      await sleep(Math.min(MAX_WAIT_STEP_MS, Math.ceil((-this.tokens / rate) * 1000)));
      const current = this.rate();
      if (current === null) {
        this.tokens = 0;
        return;
      }
      this.refill(current);
      if (this.tokens < 0 && between !== undefined) await between();
    }
  }

  private refill(rate: number): void {
    const now = this.now();
    this.tokens = Math.min(rate, this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
  }
}

/** One bucket per quota owner and flow, shared by all the owner's tasks on this worker. */
export class SharedByteRateThrottles implements TaskThrottles {
  private readonly buckets = new Map<string, ByteRateBucket>();

  constructor(private readonly quotaOf: (connector: string, flow: ThrottledFlow) => ByteRateQuota | null) {}

  forConnector(connector: string, flow: ThrottledFlow): TaskThrottle | null {
    const quota = this.quotaOf(connector, flow);
    if (quota === null) return null;
    const key = `${flow}\u0000${quota.owner}`;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      // Later takes read the owner's quota as it is then (tenants are re-read without a restart).
      bucket = new ByteRateBucket(() => this.quotaOf(connector, flow)?.bytesPerSecond ?? null);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** The bytes a batch of Kafka messages puts on the wire's payload: keys, values and headers. */
export function messageBytes(
  messages: readonly {
    readonly key: Buffer | null;
    readonly value: Buffer | null;
    readonly headers: readonly { readonly key: string; readonly value: Buffer | null }[];
  }[],
): number {
  let total = 0;
  for (const m of messages) {
    total += (m.key?.length ?? 0) + (m.value?.length ?? 0);
    for (const h of m.headers) total += Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  }
  return total;
}
