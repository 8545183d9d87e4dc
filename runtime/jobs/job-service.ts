import type { JsonObject } from '../api/json.js';
import { SluiceError } from '../errors/sluice-error.js';

/** The states GET /jobs shows; `cancelled` is a job stopped through DELETE /jobs/{id}. */
export type JobState = 'waiting' | 'active' | 'completed' | 'failed' | 'cancelled';

export interface JobProgress {
  readonly units_done: number;
  readonly units_total: number;
  readonly records: number;
  readonly bytes: number;
  /** The plan's estimate of all records, null when the type cannot tell. */
  readonly estimated_records: number | null;
  /** Records per second since the first unit started (until the job finished). */
  readonly records_per_second: number;
  /** Seconds left at the current rate, null when unknown (no rate yet, no estimate) or finished. */
  readonly eta_seconds: number | null;
  /** Records that may have been produced twice: those in flight when a unit's worker died. */
  readonly possible_duplicates: number;
}

/** A job as the REST API shows it (snake_case, like Connect's bodies). */
export interface JobView {
  readonly id: string;
  readonly type: string;
  /** The submitted config, with values of keys that look like secrets hidden. */
  readonly config: Readonly<Record<string, string>>;
  readonly state: JobState;
  readonly progress: JobProgress;
  /** ISO-8601 times; null until they happen. */
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly error: string | null;
  readonly result: JsonObject | null;
}

/**
 * What the REST API needs from the jobs runtime, one method per endpoint (as the Herder is for connectors).
 * Errors are SluiceErrors whose code decides the HTTP status.
 */
export interface JobService {
  /** Validates and plans the job, then queues it; nothing is queued when either fails. */
  submit(type: string, config: Readonly<Record<string, string>>): Promise<JobView>;
  list(): Promise<JobView[]>;
  get(id: string): Promise<JobView>;
  /** Stops a waiting or active job: units stop at their next checkpoint. */
  cancel(id: string): Promise<JobView>;
  /** Runs a failed or cancelled job again: finished units stay done, the others resume from their checkpoints. */
  retry(id: string): Promise<JobView>;
}

/** The service of a worker without `redis.url`: every call is a 503 that says how to turn jobs on. */
export const disabledJobService: JobService = {
  submit: () => Promise.reject(new SluiceError('JOBS_DISABLED')),
  list: () => Promise.reject(new SluiceError('JOBS_DISABLED')),
  get: () => Promise.reject(new SluiceError('JOBS_DISABLED')),
  cancel: () => Promise.reject(new SluiceError('JOBS_DISABLED')),
  retry: () => Promise.reject(new SluiceError('JOBS_DISABLED')),
};
