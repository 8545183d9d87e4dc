import { Counter, Gauge, type Registry } from 'prom-client';
import type { JobState } from './job-service.js';

const shared = new WeakMap<Registry, JobMetrics>();

const STATES: readonly JobState[] = ['waiting', 'active', 'completed', 'failed', 'cancelled'];

/**
 * Jobs on GET /metrics: how many jobs are in each state (read from the shared queue at scrape time, so
 * every worker shows the cluster's count) and the records and bytes this worker produced per job type.
 */
export class JobMetrics {
  private readonly records: Counter<'type'>;
  private readonly bytes: Counter<'type'>;

  private constructor(registry: Registry, states: () => Promise<readonly JobState[]>) {
    this.records = new Counter({
      name: 'sluice_job_records_total',
      help: 'Records produced by job units on this worker, by job type',
      labelNames: ['type'],
      registers: [registry],
    });
    this.bytes = new Counter({
      name: 'sluice_job_bytes_total',
      help: 'Key, value and header bytes produced by job units on this worker, by job type',
      labelNames: ['type'],
      registers: [registry],
    });
    new Gauge({
      name: 'sluice_jobs',
      help: 'Jobs in the shared queue, by state',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        const counts = new Map(STATES.map((s) => [s, 0]));
        for (const state of await states().catch(() => [])) counts.set(state, (counts.get(state) ?? 0) + 1);
        for (const [state, count] of counts) this.set({ state }, count);
      },
    });
  }

  /** One instance per registry: `sluice mirror` runs several workers in one process, all scraped together. */
  static for(registry: Registry, states: () => Promise<readonly JobState[]>): JobMetrics {
    let metrics = shared.get(registry);
    if (metrics === undefined) shared.set(registry, (metrics = new JobMetrics(registry, states)));
    return metrics;
  }

  produced(type: string, records: number, bytes: number): void {
    this.records.inc({ type }, records);
    this.bytes.inc({ type }, bytes);
  }
}
