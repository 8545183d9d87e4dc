import { SluiceError, type JobType } from '../../../runtime/api/index.js';
import { describeContactPoints, newCassandraClient } from '../cassandra-client.js';
import { cassandraBackfillConfigSchema, cassandraBackfillSettings } from './backfill-config.js';
import { readTokenRange, tableShape } from './range-reader.js';
import { tokenRanges, type TokenRange } from './token-ranges.js';

const MURMUR3 = 'org.apache.cassandra.dht.Murmur3Partitioner';

/**
 * The Cassandra side of `backfill`: a whole table into a topic, one unit per token range of the ring (ranges
 * run in parallel, on any worker), each read a page at a time with a checkpoint after every page.
 */
export const cassandraBackfillJobType: JobType = {
  name: 'backfill',
  description: 'A Cassandra table into Kafka by token ranges (key: the primary key columns; value: the row)',
  configSchema: cassandraBackfillConfigSchema,
  async plan(config) {
    const settings = cassandraBackfillSettings(config);
    const client = newCassandraClient(settings.connection, 'sluice-backfill-plan');
    try {
      await client.connect().catch((error: unknown) => {
        throw new SluiceError('JOB_CONFIG_INVALID', [
          'backfill',
          `cannot reach ${describeContactPoints(settings.connection)}: ${(error as Error).message}`,
        ]);
      });
      const local = await client.execute('SELECT partitioner FROM system.local');
      const partitioner = String(local.first()?.get('partitioner') ?? 'an unknown partitioner');
      if (partitioner !== MURMUR3)
        throw new SluiceError('JOB_CONFIG_INVALID', [
          'backfill',
          `the cluster uses ${partitioner}; token-range backfill needs ${MURMUR3}`,
        ]);
      if ((await tableShape(client, settings)) === null)
        throw new SluiceError('JOB_CONFIG_INVALID', [
          'backfill',
          `table ${settings.keyspace}.${settings.table} does not exist in ${describeContactPoints(settings.connection)}`,
        ]);
      return { units: tokenRanges(settings.splits) };
    } finally {
      await client.shutdown();
    }
  },
  async runUnit(config, unit, context) {
    const settings = cassandraBackfillSettings(config);
    const client = newCassandraClient(settings.connection, `sluice-backfill-${context.jobId}`);
    try {
      await client.connect();
      const shape = await tableShape(client, settings);
      if (shape === null)
        throw new SluiceError('JOB_CONFIG_INVALID', [
          'backfill',
          `table ${settings.keyspace}.${settings.table} was dropped`,
        ]);
      const range = unit as unknown as TokenRange;
      const rows = await readTokenRange(client, shape, settings, range, context);
      return {
        table: `${settings.keyspace}.${settings.table}`,
        topic: settings.topic,
        token_range: `(${range.after}, ${range.upTo}]`,
        rows_read: rows,
      };
    } finally {
      await client.shutdown();
    }
  },
};
