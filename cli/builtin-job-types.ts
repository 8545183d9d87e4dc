import type { JobConnectors, JobType } from '../runtime/api/job.js';
import type { Herder } from '../runtime/cluster/herder.js';
import type { KafkaClient } from '../runtime/kafka/types.js';
import { rewindJobType, type RewindHerder } from '../runtime/jobs/types/rewind-job-type.js';
import { variantJobType } from '../runtime/jobs/variant-job-type.js';
import { cassandraBackfillJobType } from '../connectors/cassandra/index.js';
import { postgresBackfillJobType } from '../connectors/postgres/backfill/index.js';
import { postgresSnapshotJobType } from '../connectors/postgres/snapshot-job/index.js';
import { s3ReplayJobType } from '../connectors/s3/index.js';

/** What the job types need of the worker's herder: `rewind` moves offsets, `snapshot` reads them. */
export type JobHerder = RewindHerder & Pick<Herder, 'connectorConfig'>;

/** Every job type shipped with Sluice (docs/jobs.md); `rewind` and `snapshot` work through the worker's herder. */
export function builtinJobTypes(herder: JobHerder, kafka: KafkaClient): JobType[] {
  const connectors: JobConnectors = {
    config: (name) => herder.connectorConfig(name),
    sourceOffsets: async (name) => (await herder.connectorOffsets(name)).offsets,
  };
  return [
    variantJobType({
      name: 'backfill',
      description:
        'A PostgreSQL table (source=postgres, the default) in key-range chunks, or a Cassandra table (source=cassandra) by token ranges, into Kafka',
      key: 'source',
      defaultVariant: 'postgres',
      variants: { postgres: postgresBackfillJobType, cassandra: cassandraBackfillJobType },
    }),
    postgresSnapshotJobType(connectors),
    s3ReplayJobType,
    rewindJobType(herder, () => kafka.admin()),
  ];
}
