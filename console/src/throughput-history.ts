import type { ConnectorCounters } from './connector-metrics.js';

/** One point of a connector's history: rates between two scrapes. */
export interface RatePoint {
  /** epoch seconds of the later scrape. */
  readonly t: number;
  readonly recordsPerSecond: number;
  readonly errorsPerSecond: number;
  readonly lag: number | undefined;
  readonly batchMs: number | undefined;
  readonly batchMaxMs: number | undefined;
  readonly commitMs: number | undefined;
}

/**
 * Rates from successive scrapes of `/metrics`, kept for the time the console is open (a bounded ring per
 * connector). A counter that went down (a task restarted) starts over instead of showing a negative rate.
 */
export class ThroughputHistory {
  private readonly previous = new Map<
    string,
    { readonly at: number; readonly counters: ConnectorCounters }
  >();
  private readonly points = new Map<string, RatePoint[]>();

  constructor(private readonly capacity = 180) {}

  record(at: number, counters: ReadonlyMap<string, ConnectorCounters>): void {
    for (const [name, current] of counters) {
      const before = this.previous.get(name);
      this.previous.set(name, { at, counters: current });
      if (before === undefined || at <= before.at) continue;
      const seconds = (at - before.at) / 1000;
      const delta = (now: number, then: number): number => (now >= then ? (now - then) / seconds : 0);
      const ring = this.points.get(name) ?? [];
      ring.push({
        t: at / 1000,
        recordsPerSecond: delta(current.records, before.counters.records),
        errorsPerSecond: delta(current.errors, before.counters.errors),
        lag: current.lag,
        batchMs: current.batchMs,
        batchMaxMs: current.batchMaxMs,
        commitMs: current.commitMs,
      });
      if (ring.length > this.capacity) ring.shift();
      this.points.set(name, ring);
    }
    for (const name of [...this.previous.keys()]) {
      if (!counters.has(name)) {
        this.previous.delete(name);
        this.points.delete(name);
      }
    }
  }

  history(name: string): readonly RatePoint[] {
    return this.points.get(name) ?? [];
  }

  latest(name: string): RatePoint | undefined {
    const ring = this.points.get(name);
    return ring?.[ring.length - 1];
  }
}
