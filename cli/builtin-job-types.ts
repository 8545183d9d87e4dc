import type { JobType } from '../runtime/api/job.js';
import type { KafkaClient } from '../runtime/kafka/types.js';
import { rewindJobType, type RewindHerder } from '../runtime/jobs/types/rewind-job-type.js';
import { variantJobType } from '../runtime/jobs/variant-job-type.js';
import { cassandraBackfillJobType } from '../connectors/cassandra/index.js';
import { postgresBackfillJobType } from '../connectors/postgres/backfill/index.js';
import { s3ReplayJobType } from '../connectors/s3/index.js';

/** Every job type shipped with Sluice (docs/jobs.md); `rewind` works through the worker's herder. */
export function builtinJobTypes(herder: RewindHerder, kafka: KafkaClient): JobType[] {
  return [
    variantJobType({
      name: 'backfill',
      description:
        'A PostgreSQL table (source=postgres, the default) in key-range chunks, or a Cassandra table (source=cassandra) by token ranges, into Kafka',
      key: 'source',
      defaultVariant: 'postgres',
      variants: { postgres: postgresBackfillJobType, cassandra: cassandraBackfillJobType },
    }),
    s3ReplayJobType,
    rewindJobType(herder, () => kafka.admin()),
  ];
}
