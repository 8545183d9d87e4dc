import type { JobType } from '../runtime/api/job.js';
import type { KafkaClient } from '../runtime/kafka/types.js';
import { rewindJobType, type RewindHerder } from '../runtime/jobs/types/rewind-job-type.js';
import { postgresBackfillJobType } from '../connectors/postgres/backfill/index.js';

/** Every job type shipped with Sluice (docs/jobs.md); `rewind` works through the worker's herder. */
export function builtinJobTypes(herder: RewindHerder, kafka: KafkaClient): JobType[] {
  return [postgresBackfillJobType, rewindJobType(herder, () => kafka.admin())];
}
