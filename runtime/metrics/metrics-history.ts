import type { RebalanceRecord, WorkerMetrics } from './worker-metrics.js';

/** One connector over one sampling interval, on this process's workers. */
export interface HistoryPoint {
  /** epoch ms at the end of the interval. */
  readonly t: number;
  /** Records written to Kafka (source) or delivered by put() (sink), per second. */
  readonly records_per_second: number;
  /** Records that failed for good (the error handler's total-record-errors), per second. */
  readonly errors_per_second: number;
  /** The largest sink-record-lag-max of its sink tasks; null for a source or before a batch. */
  readonly lag: number | null;
  /** Average poll (source) or put (sink) batch time of its tasks over Connect's metrics window, ms. */
  readonly batch_ms: number | null;
  /** The longest poll (source) or put (sink) of its tasks in that window, ms. */
  readonly batch_max_ms: number | null;
  /**
   * Average time to make a batch durable, ms: storing a source's offsets once Kafka acknowledged its
   * records, or a sink's flush and consumer-group commit (Connect's offset-commit-avg-time-ms).
   */
  readonly commit_ms: number | null;
}

export interface MetricsHistoryOptions {
  readonly intervalMs?: number;
  /** Points kept per connector: 360 at 10 s is the last hour. */
  readonly capacity?: number;
  readonly now?: () => number;
}

interface Totals {
  readonly records: number;
  readonly errors: number;
  readonly lag: number | null;
  readonly batchMs: number | null;
  readonly batchMaxMs: number | null;
  readonly commitMs: number | null;
}

/**
 * A ring buffer per connector of what this process's workers counted, sampled every interval: the last hour
 * of throughput, errors, lag and batch time for `GET /metrics/history` (the web console's charts). Memory is
 * bounded (capacity × connectors small objects) and sampling reads only the counters the tasks already keep.
 */
export class MetricsHistory {
  readonly intervalMs: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly rings = new Map<string, HistoryPoint[]>();
  private previous = new Map<string, Totals>();
  private previousAt = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly workers: () => readonly WorkerMetrics[],
    options: MetricsHistoryOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 10_000;
    this.capacity = options.capacity ?? 360;
    this.now = options.now ?? Date.now;
  }

  /** Samples every interval until stop(); the timer never keeps the process alive. */
  start(): this {
    if (this.timer === undefined) {
      this.previousAt = this.now();
      this.previous = this.totals(this.previousAt);
      this.timer = setInterval(() => this.sample(), this.intervalMs);
      this.timer.unref();
    }
    return this;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Takes one sample now (the timer calls this; tests call it directly). */
  sample(): void {
    const at = this.now();
    const seconds = (at - this.previousAt) / 1000;
    const current = this.totals(at);
    for (const [connector, totals] of current) {
      const before = this.previous.get(connector);
      if (before === undefined || seconds <= 0) continue;
      // A counter that went down belongs to a restarted task: the interval's rate is unknown, not negative.
      const rate = (now: number, then: number): number => (now >= then ? (now - then) / seconds : 0);
      const ring = this.rings.get(connector) ?? [];
      ring.push({
        t: at,
        records_per_second: rate(totals.records, before.records),
        errors_per_second: rate(totals.errors, before.errors),
        lag: totals.lag,
        batch_ms: totals.batchMs,
        batch_max_ms: totals.batchMaxMs,
        commit_ms: totals.commitMs,
      });
      if (ring.length > this.capacity) ring.shift();
      this.rings.set(connector, ring);
    }
    for (const connector of this.rings.keys()) if (!current.has(connector)) this.rings.delete(connector);
    this.previous = current;
    this.previousAt = at;
  }

  /** The points of every connector, or of one (none when it has no tasks on this process). */
  points(connector?: string): Record<string, readonly HistoryPoint[]> {
    if (connector !== undefined) return { [connector]: this.rings.get(connector) ?? [] };
    return Object.fromEntries(this.rings);
  }

  /** The recent rebalances of this process's workers (distributed mode), oldest first. */
  rebalances(): RebalanceRecord[] {
    return this.workers()
      .flatMap((worker) => [...worker.rebalances()])
      .sort((a, b) => a.at - b.at);
  }

  private totals(at: number): Map<string, Totals> {
    interface Sum {
      records: number;
      errors: number;
      lag: number | null;
      batch: number[];
      batchMax: number | null;
      commit: number[];
    }
    const sums = new Map<string, Sum>();
    const finite = (value: number): boolean => Number.isFinite(value);
    for (const worker of this.workers()) {
      for (const task of worker.tasks()) {
        const sum = sums.get(task.id.connector) ?? {
          records: 0,
          errors: 0,
          lag: null,
          batch: [],
          batchMax: null,
          commit: [],
        };
        sum.records += task.sourceRecordWriteTotal + task.sinkRecordSendTotal;
        sum.errors += task.errors()?.totalRecordErrors ?? 0;
        const lag = task.sinkRecordLagMax;
        if (!Number.isNaN(lag)) sum.lag = Math.max(sum.lag ?? 0, lag);
        const batch = task.batchTimeMs.avg(at);
        if (finite(batch)) sum.batch.push(batch);
        const batchMax = task.batchTimeMs.max(at);
        if (finite(batchMax)) sum.batchMax = Math.max(sum.batchMax ?? 0, batchMax);
        const commit = task.offsetCommitTimeMs.avg(at);
        if (finite(commit)) sum.commit.push(commit);
        sums.set(task.id.connector, sum);
      }
    }
    const mean = (values: readonly number[]): number | null =>
      values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    return new Map(
      [...sums].map(([connector, sum]) => [
        connector,
        {
          records: sum.records,
          errors: sum.errors,
          lag: sum.lag,
          batchMs: mean(sum.batch),
          batchMaxMs: sum.batchMax,
          commitMs: mean(sum.commit),
        },
      ]),
    );
  }
}
