// What the jobs tests read of a job over REST, and the two waits they all use.
import assert from 'node:assert/strict';
import { waitFor, type WorkerProcess } from '../../support/worker-process.js';

export interface JobProgress {
  readonly records: number;
  readonly units_done: number;
  readonly units_total: number;
  readonly possible_duplicates: number;
  readonly eta_seconds: number | null;
  readonly estimated_records: number | null;
}

/** GET /jobs/{id}; `Result` is the job type's result shape. */
export interface JobBody<Result = { readonly records: number; readonly possible_duplicates: number }> {
  readonly id: string;
  readonly type: string;
  readonly state: string;
  readonly error: string | null;
  readonly progress: JobProgress;
  readonly result: Result | null;
}

export async function jobOf<Result = JobBody['result']>(
  worker: WorkerProcess,
  id: string,
): Promise<JobBody<NonNullable<Result>>> {
  const reply = await worker.rest<JobBody<NonNullable<Result>>>('GET', `/jobs/${id}`);
  assert.equal(reply.status, 200, reply.text);
  return reply.body;
}

/** Waits until the job has produced at least `records` records. */
export function jobPast(
  worker: WorkerProcess,
  id: string,
  records: number,
  timeoutMs: number,
): Promise<JobBody> {
  return waitFor(
    async () => {
      const job = await jobOf(worker, id);
      return job.progress.records >= records ? job : false;
    },
    timeoutMs,
    `job ${id} past ${records} records`,
  );
}

/** Waits for the job to complete; fails at once, with its error, when it fails. */
export function jobCompleted<Result = JobBody['result']>(
  worker: WorkerProcess,
  id: string,
  timeoutMs: number,
  what: string,
): Promise<JobBody<NonNullable<Result>>> {
  return waitFor(
    async () => {
      const job = await jobOf<Result>(worker, id);
      if (job.state === 'failed') assert.fail(`${what}: the job failed: ${job.error}`);
      return job.state === 'completed' ? job : false;
    },
    timeoutMs,
    what,
  );
}
