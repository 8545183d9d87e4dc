import {
  ConfigValues,
  type ConfigDef,
  type ConfigIssue,
  type ConnectorConfig,
} from '../../../runtime/api/index.js';
import { connectError, sinkRetryTimeoutMs } from '../../../runtime/api/index.js';

/** The Debezium JDBC sink's property names, for the concepts this sink has. */
export const PostgresSinkKeys = {
  CONNECTION_URL: 'connection.url',
  CONNECTION_USERNAME: 'connection.username',
  CONNECTION_PASSWORD: 'connection.password',
  INSERT_MODE: 'insert.mode',
  PRIMARY_KEY_MODE: 'primary.key.mode',
  PRIMARY_KEY_FIELDS: 'primary.key.fields',
  DELETE_ENABLED: 'delete.enabled',
  TRUNCATE_ENABLED: 'truncate.enabled',
  SCHEMA_EVOLUTION: 'schema.evolution',
  TABLE_NAME_FORMAT: 'table.name.format',
  BATCH_SIZE: 'batch.size',
  QUOTE_IDENTIFIERS: 'quote.identifiers',
  /** Sluice's own: neither the Confluent nor the Debezium JDBC sink stores offsets in the target. */
  OFFSETS_STORAGE_TABLE: 'offsets.storage.table',
} as const;

export const INSERT_MODES = ['insert', 'update', 'upsert'] as const;
export const PRIMARY_KEY_MODES = ['none', 'kafka', 'record_key', 'record_value'] as const;
export const SCHEMA_EVOLUTION_MODES = ['none', 'basic'] as const;

export type InsertMode = (typeof INSERT_MODES)[number];
export type PrimaryKeyMode = (typeof PRIMARY_KEY_MODES)[number];
export type SchemaEvolutionMode = (typeof SCHEMA_EVOLUTION_MODES)[number];

const group = 'Postgres sink';

export const postgresSinkConfigDef: ConfigDef = {
  [PostgresSinkKeys.CONNECTION_URL]: {
    type: 'string',
    importance: 'high',
    group,
    documentation:
      'Where the target database is: a JDBC URL (jdbc:postgresql://host:port/database?user=...&password=...) or a postgres:// URL.',
    validator: { nonEmpty: true, pattern: '^(jdbc:postgresql:|postgres:|postgresql:)' },
  },
  [PostgresSinkKeys.CONNECTION_USERNAME]: {
    type: 'string',
    default: null,
    importance: 'high',
    group,
    documentation: 'Database user; overrides a user given in the URL.',
  },
  [PostgresSinkKeys.CONNECTION_PASSWORD]: {
    type: 'password',
    default: null,
    importance: 'high',
    group,
    documentation: 'Password of the database user; overrides a password given in the URL.',
  },
  [PostgresSinkKeys.INSERT_MODE]: {
    type: 'string',
    default: 'insert',
    importance: 'high',
    group,
    documentation:
      "`insert`: plain INSERTs (a redelivered record fails on its primary key). `update`: UPDATE the row with the record's key (rows that do not exist are not created). `upsert`: INSERT ... ON CONFLICT DO UPDATE, idempotent; needs a primary key mode other than none.",
    validator: { oneOf: INSERT_MODES },
  },
  [PostgresSinkKeys.PRIMARY_KEY_MODE]: {
    type: 'string',
    default: 'none',
    importance: 'high',
    group,
    documentation:
      '`none`: no primary key. `kafka`: the columns __connect_topic, __connect_partition and __connect_offset. `record_key`: the fields of the record key (a primitive key becomes the column named by primary.key.fields). `record_value`: the value fields named in primary.key.fields.',
    validator: { oneOf: PRIMARY_KEY_MODES },
  },
  [PostgresSinkKeys.PRIMARY_KEY_FIELDS]: {
    type: 'list',
    default: '',
    importance: 'medium',
    group,
    documentation:
      'Field names of the primary key. With record_key, a subset of the key fields (empty: all of them), or the column name of a primitive key. With record_value, required.',
  },
  [PostgresSinkKeys.DELETE_ENABLED]: {
    type: 'boolean',
    default: false,
    importance: 'medium',
    group,
    documentation:
      'Apply delete events (op=d) as DELETEs by key. Needs primary.key.mode=record_key. When false, delete events are skipped.',
  },
  [PostgresSinkKeys.TRUNCATE_ENABLED]: {
    type: 'boolean',
    default: false,
    importance: 'medium',
    group,
    documentation:
      'Apply truncate events (op=t) as TRUNCATE of the target table. When false, truncate events are skipped.',
  },
  [PostgresSinkKeys.SCHEMA_EVOLUTION]: {
    type: 'string',
    default: 'none',
    importance: 'medium',
    group,
    documentation:
      '`none`: the target tables must exist with every column the records carry; otherwise the task fails naming the table and column. `basic`: create missing tables and add missing columns (added columns are nullable).',
    validator: { oneOf: SCHEMA_EVOLUTION_MODES },
  },
  [PostgresSinkKeys.TABLE_NAME_FORMAT]: {
    type: 'string',
    default: '${topic}',
    importance: 'medium',
    group,
    documentation:
      "Target table name. `${topic}` is the topic with dots replaced by underscores; `${source.schema}` and `${source.table}` come from a Debezium envelope's source block. A dot in the format itself separates schema and table (e.g. `warehouse.${source.table}`).",
    validator: { nonEmpty: true },
  },
  [PostgresSinkKeys.BATCH_SIZE]: {
    type: 'int',
    default: 500,
    importance: 'medium',
    group,
    documentation:
      'Most rows written by one SQL statement; a put with more records uses several statements in the same transaction.',
    validator: { min: 1 },
  },
  [PostgresSinkKeys.QUOTE_IDENTIFIERS]: {
    type: 'boolean',
    default: false,
    importance: 'medium',
    group,
    documentation:
      'Keep table and column names exactly as written (quoted). When false, names are folded to lower case, as Postgres does with unquoted identifiers.',
  },
  [PostgresSinkKeys.OFFSETS_STORAGE_TABLE]: {
    type: 'string',
    default: '__sluice_offsets',
    importance: 'low',
    group,
    documentation:
      'Table in the target database where the sink stores the consumed offsets, in the same transaction as the rows (created when missing; `schema.table` or a table on the search_path). Records at offsets it already holds are skipped, so a redelivery writes nothing twice.',
    validator: { nonEmpty: true },
  },
};

export interface PostgresSinkSettings {
  readonly connectionUrl: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly insertMode: InsertMode;
  readonly primaryKeyMode: PrimaryKeyMode;
  readonly primaryKeyFields: readonly string[];
  readonly deleteEnabled: boolean;
  readonly truncateEnabled: boolean;
  readonly schemaEvolution: SchemaEvolutionMode;
  readonly tableNameFormat: string;
  readonly batchSize: number;
  readonly quoteIdentifiers: boolean;
  readonly offsetsStorageTable: string;
  /** How long retriable (connection) failures are retried: -1 forever, 0 not at all. */
  readonly retryTimeoutMs: number;
}

/** Rules between keys that the ConfigDef cannot express; each issue names its key. */
export function crossKeyIssues(values: ConfigValues): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const insertMode = values.string(PostgresSinkKeys.INSERT_MODE).toLowerCase();
  const pkMode = values.string(PostgresSinkKeys.PRIMARY_KEY_MODE).toLowerCase();
  if (insertMode !== 'insert' && pkMode === 'none') {
    issues.push({
      key: PostgresSinkKeys.PRIMARY_KEY_MODE,
      message: `primary.key.mode must not be none when insert.mode is ${insertMode}: rows are matched by their primary key`,
    });
  }
  if (values.boolean(PostgresSinkKeys.DELETE_ENABLED) && pkMode !== 'record_key') {
    issues.push({
      key: PostgresSinkKeys.DELETE_ENABLED,
      message: 'delete.enabled=true needs primary.key.mode=record_key: deletes carry only the record key',
    });
  }
  if (pkMode === 'record_value' && values.list(PostgresSinkKeys.PRIMARY_KEY_FIELDS).length === 0) {
    issues.push({
      key: PostgresSinkKeys.PRIMARY_KEY_FIELDS,
      message: 'primary.key.fields must name at least one field when primary.key.mode=record_value',
    });
  }
  return issues;
}

export function validatePostgresSinkConfig(config: ConnectorConfig): ConfigIssue[] {
  const values = ConfigValues.parse(postgresSinkConfigDef, config);
  return values.issues.length > 0 ? [...values.issues] : crossKeyIssues(values);
}

export function postgresSinkSettings(config: ConnectorConfig): PostgresSinkSettings {
  const issues = validatePostgresSinkConfig(config);
  if (issues.length > 0) throw connectError(issues.map((i) => i.message).join('\n'));
  const values = ConfigValues.parse(postgresSinkConfigDef, config);
  return {
    connectionUrl: values.string(PostgresSinkKeys.CONNECTION_URL).trim(),
    username: values.optionalString(PostgresSinkKeys.CONNECTION_USERNAME),
    password: values.optionalString(PostgresSinkKeys.CONNECTION_PASSWORD),
    insertMode: values.string(PostgresSinkKeys.INSERT_MODE).trim().toLowerCase() as InsertMode,
    primaryKeyMode: values.string(PostgresSinkKeys.PRIMARY_KEY_MODE).trim().toLowerCase() as PrimaryKeyMode,
    primaryKeyFields: values.list(PostgresSinkKeys.PRIMARY_KEY_FIELDS),
    deleteEnabled: values.boolean(PostgresSinkKeys.DELETE_ENABLED),
    truncateEnabled: values.boolean(PostgresSinkKeys.TRUNCATE_ENABLED),
    schemaEvolution: values
      .string(PostgresSinkKeys.SCHEMA_EVOLUTION)
      .trim()
      .toLowerCase() as SchemaEvolutionMode,
    tableNameFormat: values.string(PostgresSinkKeys.TABLE_NAME_FORMAT).trim(),
    batchSize: values.number(PostgresSinkKeys.BATCH_SIZE),
    quoteIdentifiers: values.boolean(PostgresSinkKeys.QUOTE_IDENTIFIERS),
    offsetsStorageTable: values.string(PostgresSinkKeys.OFFSETS_STORAGE_TABLE).trim(),
    retryTimeoutMs: sinkRetryTimeoutMs(config),
  };
}
