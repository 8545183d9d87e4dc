import { SluiceError, type JsonObject } from '../../../runtime/api/index.js';
import { cdcSettings, type CdcSettings } from '../cdc/config.js';

/** `backfill`'s own keys; the others are PostgresCdcSource's (connection, topic.prefix, value mapping). */
export const BackfillKeys = {
  TABLE: 'table',
  QUERY: 'query',
  CHUNK_SIZE: 'chunk.size',
  FETCH_SIZE: 'fetch.size',
  MAX_RECORDS_PER_SECOND: 'max.records.per.second',
} as const;

const positiveInteger = { type: 'string', pattern: '^\\s*[1-9][0-9]*\\s*$' } as const;

/** The JSON Schema POST /jobs checks a backfill config against before anything connects. */
export const backfillConfigSchema: JsonObject = {
  type: 'object',
  required: ['database.hostname', 'database.user', 'database.dbname', 'topic.prefix', BackfillKeys.TABLE],
  properties: {
    'database.hostname': { type: 'string', minLength: 1 },
    'database.port': { type: 'string', pattern: '^\\s*[0-9]+\\s*$' },
    'database.user': { type: 'string', minLength: 1 },
    'database.dbname': { type: 'string', minLength: 1 },
    'topic.prefix': { type: 'string', pattern: '^[a-zA-Z0-9._-]+$' },
    [BackfillKeys.TABLE]: { type: 'string', minLength: 1 },
    [BackfillKeys.QUERY]: {
      type: 'string',
      pattern: '^\\s*(?:[Ss][Ee][Ll][Ee][Cc][Tt]|[Ww][Ii][Tt][Hh]|[Tt][Aa][Bb][Ll][Ee])\\s',
    },
    [BackfillKeys.CHUNK_SIZE]: positiveInteger,
    [BackfillKeys.FETCH_SIZE]: positiveInteger,
    [BackfillKeys.MAX_RECORDS_PER_SECOND]: { type: 'string', pattern: '^\\s*[0-9]+\\s*$' },
  },
  additionalProperties: { type: 'string' },
};

export interface BackfillSettings {
  readonly cdc: CdcSettings;
  /** `schema.table`, or a table of `public`. */
  readonly schema: string;
  readonly table: string;
  /**
   * A SELECT choosing which rows of `table` to load (Debezium's snapshot.select.statement.overrides): it must
   * return the table's columns; null: every row.
   */
  readonly query: string | null;
  /** Rows per unit: the piece one worker reads, checkpointing after each page. */
  readonly chunkSize: number;
  /** Rows per page (one query, one produce, one checkpoint). */
  readonly fetchSize: number;
  /** 0: as fast as PostgreSQL and Kafka go. */
  readonly maxRecordsPerSecond: number;
}

function splitTableName(name: string): { schema: string; table: string } {
  const dot = name.indexOf('.');
  return dot < 0
    ? { schema: 'public', table: name.trim() }
    : { schema: name.slice(0, dot).trim(), table: name.slice(dot + 1).trim() };
}

/** The query without the trailing semicolon a pasted statement often has (it is read as a subquery). */
function selectStatement(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  return raw.trim().replace(/;\s*$/, '');
}

export function backfillSettings(config: Readonly<Record<string, string>>): BackfillSettings {
  let cdc: CdcSettings;
  try {
    cdc = cdcSettings(config);
  } catch (error) {
    throw new SluiceError('JOB_CONFIG_INVALID', ['backfill', (error as Error).message]);
  }
  const number = (key: string, fallback: number): number => Number(config[key] ?? fallback);
  return {
    cdc,
    ...splitTableName(config[BackfillKeys.TABLE] ?? ''),
    query: selectStatement(config[BackfillKeys.QUERY]),
    chunkSize: number(BackfillKeys.CHUNK_SIZE, 10_000),
    fetchSize: number(BackfillKeys.FETCH_SIZE, 1_000),
    maxRecordsPerSecond: number(BackfillKeys.MAX_RECORDS_PER_SECOND, 0),
  };
}
