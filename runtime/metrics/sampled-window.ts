/**
 * Kafka's sampled statistics (metrics.sample.window.ms=30000, metrics.num.samples=2): values recorded into
 * a few fixed-length samples, read as average, maximum, minimum or rate over the samples not yet expired. Reading
 * these at scrape time gives the same `-avg`, `-max` and `-rate` values a Connect worker's JMX shows.
 */
export class SampledWindow {
  private readonly starts: number[];
  private readonly counts: number[];
  private readonly sums: number[];
  private readonly maxes: number[];
  private readonly mins: number[];
  private current = 0;

  constructor(
    now: number,
    private readonly sampleMs = 30_000,
    private readonly samples = 2,
  ) {
    this.starts = new Array<number>(samples).fill(now);
    this.counts = new Array<number>(samples).fill(0);
    this.sums = new Array<number>(samples).fill(0);
    this.maxes = new Array<number>(samples).fill(Number.NEGATIVE_INFINITY);
    this.mins = new Array<number>(samples).fill(Number.POSITIVE_INFINITY);
  }

  record(value: number, now: number): void {
    let i = this.current;
    if (now - this.starts[i]! >= this.sampleMs) {
      i = this.current = (i + 1) % this.samples;
      this.reset(i, now);
    }
    this.counts[i]!++;
    this.sums[i]! += value;
    if (value > this.maxes[i]!) this.maxes[i] = value;
    if (value < this.mins[i]!) this.mins[i] = value;
  }

  /** Mean of the recorded values; NaN when nothing was recorded in the window (as Kafka's Avg). */
  avg(now: number): number {
    this.expire(now);
    let count = 0;
    let sum = 0;
    for (let i = 0; i < this.samples; i++) {
      count += this.counts[i]!;
      sum += this.sums[i]!;
    }
    return count === 0 ? Number.NaN : sum / count;
  }

  /** Largest recorded value; NaN when nothing was recorded in the window (as Kafka's Max). */
  max(now: number): number {
    this.expire(now);
    let max = Number.NEGATIVE_INFINITY;
    let count = 0;
    for (let i = 0; i < this.samples; i++) {
      count += this.counts[i]!;
      if (this.maxes[i]! > max) max = this.maxes[i]!;
    }
    return count === 0 ? Number.NaN : max;
  }

  /** Smallest recorded value; NaN when nothing was recorded in the window (as Kafka's Min). */
  min(now: number): number {
    this.expire(now);
    let min = Number.POSITIVE_INFINITY;
    let count = 0;
    for (let i = 0; i < this.samples; i++) {
      count += this.counts[i]!;
      if (this.mins[i]! < min) min = this.mins[i]!;
    }
    return count === 0 ? Number.NaN : min;
  }

  /**
   * Sum of the recorded values per second. Like Kafka's Rate, the elapsed time is at least the length of
   * all but one sample, so a burst right after start does not read as a huge rate.
   */
  rate(now: number): number {
    this.expire(now);
    let sum = 0;
    let oldest = now;
    for (let i = 0; i < this.samples; i++) {
      sum += this.sums[i]!;
      if (this.starts[i]! < oldest) oldest = this.starts[i]!;
    }
    const elapsedMs = Math.max(now - oldest, (this.samples - 1) * this.sampleMs, 1);
    return sum / (elapsedMs / 1_000);
  }

  private expire(now: number): void {
    const oldestKept = now - this.samples * this.sampleMs;
    for (let i = 0; i < this.samples; i++) {
      if (this.starts[i]! < oldestKept) this.reset(i, now);
    }
  }

  private reset(i: number, start: number): void {
    this.starts[i] = start;
    this.counts[i] = 0;
    this.sums[i] = 0;
    this.maxes[i] = Number.NEGATIVE_INFINITY;
    this.mins[i] = Number.POSITIVE_INFINITY;
  }
}
