import type { Sample } from './prometheus-text.js';

const METRIC = 'sluice_task_topic_records_total';

/**
 * Records/s per connector and topic, from the change of `sluice_task_topic_records_total` (summed over the
 * connector's tasks) between two scrapes. A worker that does not export it leaves every rate unknown.
 */
export class TopicRates {
  private previous: { readonly at: number; readonly totals: Map<string, number> } | undefined;
  private rates = new Map<string, number>();

  record(at: number, samples: readonly Sample[]): void {
    const totals = new Map<string, number>();
    for (const sample of samples) {
      const { connector, topic } = sample.labels;
      if (sample.name !== METRIC || connector === undefined || topic === undefined) continue;
      const key = keyOf(connector, topic);
      totals.set(key, (totals.get(key) ?? 0) + sample.value);
    }
    const before = this.previous;
    this.previous = { at, totals };
    if (before === undefined || at <= before.at) return;
    const seconds = (at - before.at) / 1000;
    const rates = new Map<string, number>();
    for (const [key, total] of totals) {
      const then = before.totals.get(key);
      // New since the last scrape, or a task restarted (its counter went down): no rate for this interval.
      if (then !== undefined && total >= then) rates.set(key, (total - then) / seconds);
    }
    this.rates = rates;
  }

  /** records/s of `connector` to (source) or from (sink) `topic`; undefined when not known. */
  rate(connector: string, topic: string): number | undefined {
    return this.rates.get(keyOf(connector, topic));
  }
}

const keyOf = (connector: string, topic: string): string => `${connector}\u0000${topic}`;
