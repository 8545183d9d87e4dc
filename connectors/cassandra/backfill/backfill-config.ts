import { SluiceError, type JsonObject } from '../../../runtime/api/index.js';
import {
  cassandraSinkConfigDef,
  cassandraSinkSettings,
  type CassandraConnectionSettings,
} from '../config.js';

/** The Cassandra backfill's own keys; the connection keys are CassandraSink's (contactPoints, loadBalancing.localDc, auth.*, ssl.*). */
export const CassandraBackfillKeys = {
  KEYSPACE: 'keyspace',
  TABLE: 'table',
  TOPIC: 'topic',
  SPLITS: 'token.ranges',
  FETCH_SIZE: 'fetch.size',
  MAX_RECORDS_PER_SECOND: 'max.records.per.second',
} as const;

const positiveInteger = { type: 'string', pattern: '^\\s*[1-9][0-9]*\\s*$' } as const;
const cqlName = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;

/** The JSON Schema POST /jobs checks a Cassandra backfill config against before anything connects. */
export const cassandraBackfillConfigSchema: JsonObject = {
  type: 'object',
  required: ['loadBalancing.localDc', CassandraBackfillKeys.KEYSPACE, CassandraBackfillKeys.TABLE],
  properties: {
    [CassandraBackfillKeys.KEYSPACE]: cqlName,
    [CassandraBackfillKeys.TABLE]: cqlName,
    [CassandraBackfillKeys.TOPIC]: { type: 'string', pattern: '^[a-zA-Z0-9._-]+$' },
    [CassandraBackfillKeys.SPLITS]: positiveInteger,
    [CassandraBackfillKeys.FETCH_SIZE]: positiveInteger,
    [CassandraBackfillKeys.MAX_RECORDS_PER_SECOND]: { type: 'string', pattern: '^\\s*[0-9]+\\s*$' },
  },
  additionalProperties: { type: 'string' },
};

export interface CassandraBackfillSettings {
  readonly connection: CassandraConnectionSettings;
  readonly keyspace: string;
  readonly table: string;
  /** `topic`, or `<keyspace>.<table>`. */
  readonly topic: string;
  /** How many token ranges (units) the ring is cut into. */
  readonly splits: number;
  /** Rows per page: one query round trip, one produce, one checkpoint. */
  readonly fetchSize: number;
  /** Per unit; 0: as fast as Cassandra and Kafka go. */
  readonly maxRecordsPerSecond: number;
}

/** The keys CassandraSink knows; the others (the job's own, converters, topic settings) are not its business. */
function connectionConfig(config: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(config).filter(([key]) => key in cassandraSinkConfigDef));
}

export function cassandraBackfillSettings(
  config: Readonly<Record<string, string>>,
): CassandraBackfillSettings {
  let connection: CassandraConnectionSettings;
  try {
    connection = cassandraSinkSettings(connectionConfig(config)).connection;
  } catch (error) {
    throw new SluiceError('JOB_CONFIG_INVALID', ['backfill', (error as Error).message]);
  }
  const number = (key: string, fallback: number): number => Number(config[key] ?? fallback);
  const keyspace = (config[CassandraBackfillKeys.KEYSPACE] ?? '').trim();
  const table = (config[CassandraBackfillKeys.TABLE] ?? '').trim();
  return {
    connection,
    keyspace,
    table,
    topic: (config[CassandraBackfillKeys.TOPIC] ?? `${keyspace}.${table}`).trim(),
    splits: number(CassandraBackfillKeys.SPLITS, 16),
    fetchSize: number(CassandraBackfillKeys.FETCH_SIZE, 1_000),
    maxRecordsPerSecond: number(CassandraBackfillKeys.MAX_RECORDS_PER_SECOND, 0),
  };
}
