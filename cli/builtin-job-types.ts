import type { JobType } from '../runtime/api/job.js';
import { postgresBackfillJobType } from '../connectors/postgres/backfill/index.js';

/** Every job type shipped with Sluice (docs/jobs.md). */
export function builtinJobTypes(): JobType[] {
  return [postgresBackfillJobType];
}
