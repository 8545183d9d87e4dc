import type { JobType } from '../runtime/api/job.js';
import type { KafkaClient } from '../runtime/kafka/types.js';
import { rewindJobType, type RewindHerder } from '../runtime/jobs/types/rewind-job-type.js';
import { postgresBackfillJobType } from '../connectors/postgres/backfill/index.js';
import { s3ReplayJobType } from '../connectors/s3/index.js';

/** Every job type shipped with Sluice (docs/jobs.md); `rewind` works through the worker's herder. */
export function builtinJobTypes(herder: RewindHerder, kafka: KafkaClient): JobType[] {
  return [postgresBackfillJobType, s3ReplayJobType, rewindJobType(herder, () => kafka.admin())];
}
