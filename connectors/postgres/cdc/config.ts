import {
  ConfigValues,
  connectError,
  type ConfigDef,
  type ConnectorConfig,
} from '../../../runtime/api/index.js';

export const CdcKeys = {
  HOSTNAME: 'database.hostname',
  PORT: 'database.port',
  USER: 'database.user',
  PASSWORD: 'database.password',
  DBNAME: 'database.dbname',
  TOPIC_PREFIX: 'topic.prefix',
  SCHEMA_INCLUDE: 'schema.include.list',
  SCHEMA_EXCLUDE: 'schema.exclude.list',
  TABLE_INCLUDE: 'table.include.list',
  TABLE_EXCLUDE: 'table.exclude.list',
  COLUMN_INCLUDE: 'column.include.list',
  COLUMN_EXCLUDE: 'column.exclude.list',
  SLOT_NAME: 'slot.name',
  SLOT_DROP_ON_STOP: 'slot.drop.on.stop',
  SLOT_MAX_RETRIES: 'slot.max.retries',
  SLOT_RETRY_DELAY_MS: 'slot.retry.delay.ms',
  PUBLICATION_NAME: 'publication.name',
  PUBLICATION_AUTOCREATE: 'publication.autocreate.mode',
  PLUGIN_NAME: 'plugin.name',
  SNAPSHOT_MODE: 'snapshot.mode',
  SNAPSHOT_FETCH_SIZE: 'snapshot.fetch.size',
  HEARTBEAT_INTERVAL_MS: 'heartbeat.interval.ms',
  HEARTBEAT_ACTION_QUERY: 'heartbeat.action.query',
  HEARTBEAT_TOPICS_PREFIX: 'topic.heartbeat.prefix',
  TOMBSTONES_ON_DELETE: 'tombstones.on.delete',
  DECIMAL_HANDLING: 'decimal.handling.mode',
  TIME_PRECISION: 'time.precision.mode',
  MESSAGE_KEY_COLUMNS: 'message.key.columns',
  PROVIDE_TRANSACTION_METADATA: 'provide.transaction.metadata',
  EXTENDED_HEADERS_ENABLED: 'extended.headers.enabled',
  SKIPPED_OPERATIONS: 'skipped.operations',
  MAX_BATCH_SIZE: 'max.batch.size',
  MAX_QUEUE_SIZE: 'max.queue.size',
  STATUS_UPDATE_INTERVAL_MS: 'status.update.interval.ms',
  WAL_RECEIVER_TIMEOUT_MS: 'wal.receiver.timeout.ms',
  ERRORS_MAX_RETRIES: 'errors.max.retries',
  RETRIABLE_RESTART_WAIT_MS: 'retriable.restart.connector.wait.ms',
  SIGNAL_DATA_COLLECTION: 'signal.data.collection',
  SIGNAL_ENABLED_CHANNELS: 'signal.enabled.channels',
  SIGNAL_KAFKA_TOPIC: 'signal.kafka.topic',
  SIGNAL_KAFKA_BOOTSTRAP_SERVERS: 'signal.kafka.bootstrap.servers',
  INCREMENTAL_SNAPSHOT_CHUNK_SIZE: 'incremental.snapshot.chunk.size',
} as const;

export type SnapshotMode = 'initial' | 'always' | 'initial_only' | 'no_data' | 'when_needed';
export type AutocreateMode = 'all_tables' | 'filtered' | 'disabled';
export type DecimalMode = 'precise' | 'double' | 'string';
export type TimePrecisionMode = 'adaptive' | 'adaptive_time_microseconds' | 'connect';

const CONNECTION = 'Connection';
const FILTERS = 'Filters';
const REPLICATION = 'Replication';
const EVENTS = 'Events';
const SIGNALS = 'Signals';

export const postgresCdcConfigDef: ConfigDef = {
  [CdcKeys.HOSTNAME]: {
    type: 'string',
    importance: 'high',
    documentation: 'PostgreSQL server host.',
    validator: { nonEmpty: true },
    group: CONNECTION,
  },
  [CdcKeys.PORT]: {
    type: 'int',
    default: 5432,
    importance: 'high',
    documentation: 'PostgreSQL server port.',
    validator: { min: 1, max: 65535 },
    group: CONNECTION,
  },
  [CdcKeys.USER]: {
    type: 'string',
    importance: 'high',
    documentation:
      'User to connect as; needs the REPLICATION attribute (or superuser) and SELECT on the captured tables.',
    validator: { nonEmpty: true },
    group: CONNECTION,
  },
  [CdcKeys.PASSWORD]: {
    type: 'password',
    default: '',
    importance: 'high',
    documentation: 'Password of database.user.',
    group: CONNECTION,
  },
  [CdcKeys.DBNAME]: {
    type: 'string',
    importance: 'high',
    documentation: 'The database to capture changes from.',
    validator: { nonEmpty: true },
    group: CONNECTION,
  },
  [CdcKeys.TOPIC_PREFIX]: {
    type: 'string',
    importance: 'high',
    documentation:
      'Logical server name: the prefix of every topic (<prefix>.<schema>.<table>) and the source partition {"server": <prefix>}.',
    validator: { nonEmpty: true, pattern: '^[a-zA-Z0-9._-]+$' },
    group: EVENTS,
  },
  [CdcKeys.SCHEMA_INCLUDE]: {
    type: 'list',
    default: '',
    importance: 'medium',
    documentation: 'Regular expressions (full match) of schemas to capture; empty: all non-system schemas.',
    group: FILTERS,
  },
  [CdcKeys.SCHEMA_EXCLUDE]: {
    type: 'list',
    default: '',
    importance: 'medium',
    documentation: 'Regular expressions of schemas not to capture (not with schema.include.list).',
    group: FILTERS,
  },
  [CdcKeys.TABLE_INCLUDE]: {
    type: 'list',
    default: '',
    importance: 'medium',
    documentation: 'Regular expressions matching <schema>.<table> of tables to capture.',
    group: FILTERS,
  },
  [CdcKeys.TABLE_EXCLUDE]: {
    type: 'list',
    default: '',
    importance: 'medium',
    documentation:
      'Regular expressions matching <schema>.<table> of tables not to capture (not with table.include.list).',
    group: FILTERS,
  },
  [CdcKeys.COLUMN_INCLUDE]: {
    type: 'list',
    default: '',
    importance: 'low',
    documentation: 'Regular expressions matching <schema>.<table>.<column> of columns to emit.',
    group: FILTERS,
  },
  [CdcKeys.COLUMN_EXCLUDE]: {
    type: 'list',
    default: '',
    importance: 'low',
    documentation: 'Regular expressions matching <schema>.<table>.<column> of columns to leave out.',
    group: FILTERS,
  },
  [CdcKeys.SLOT_NAME]: {
    type: 'string',
    default: 'debezium',
    importance: 'medium',
    documentation: 'Logical replication slot to stream from; created when missing. One slot per connector.',
    validator: { pattern: '^[a-z0-9_]{1,63}$' },
    group: REPLICATION,
  },
  [CdcKeys.SLOT_DROP_ON_STOP]: {
    type: 'boolean',
    default: false,
    importance: 'low',
    documentation:
      'Drop the slot when the task stops gracefully (tests and demos only: changes made while stopped are lost).',
    group: REPLICATION,
  },
  [CdcKeys.SLOT_MAX_RETRIES]: {
    type: 'int',
    default: 6,
    importance: 'low',
    documentation: 'How often to retry when the slot is active for another client.',
    validator: { min: 0 },
    group: REPLICATION,
  },
  [CdcKeys.SLOT_RETRY_DELAY_MS]: {
    type: 'long',
    default: 10_000,
    importance: 'low',
    documentation: 'Wait between those retries.',
    validator: { min: 0 },
    group: REPLICATION,
  },
  [CdcKeys.PUBLICATION_NAME]: {
    type: 'string',
    default: 'dbz_publication',
    importance: 'medium',
    documentation: 'The publication that selects the tables pgoutput streams.',
    validator: { nonEmpty: true },
    group: REPLICATION,
  },
  [CdcKeys.PUBLICATION_AUTOCREATE]: {
    type: 'string',
    default: 'all_tables',
    importance: 'medium',
    documentation:
      'all_tables: create the publication FOR ALL TABLES when missing; filtered: create it (or set its tables) for the tables the filters select; disabled: it must exist.',
    validator: { oneOf: ['all_tables', 'filtered', 'disabled'] },
    group: REPLICATION,
  },
  [CdcKeys.PLUGIN_NAME]: {
    type: 'string',
    default: 'pgoutput',
    importance: 'medium',
    documentation: 'Logical decoding plugin; only pgoutput is supported.',
    validator: { oneOf: ['pgoutput'] },
    group: REPLICATION,
  },
  [CdcKeys.SNAPSHOT_MODE]: {
    type: 'string',
    default: 'initial',
    importance: 'medium',
    documentation:
      'initial: snapshot when no offset exists, then stream; always: snapshot at every start; initial_only: snapshot, then stop producing; no_data (or never): stream only; when_needed: snapshot when there is no offset or the slot is gone.',
    validator: { oneOf: ['initial', 'always', 'initial_only', 'no_data', 'never', 'when_needed'] },
    group: REPLICATION,
  },
  [CdcKeys.SNAPSHOT_FETCH_SIZE]: {
    type: 'int',
    default: 1024,
    importance: 'low',
    documentation: 'Rows fetched per round trip while snapshotting.',
    validator: { min: 1 },
    group: REPLICATION,
  },
  [CdcKeys.HEARTBEAT_INTERVAL_MS]: {
    type: 'int',
    default: 0,
    importance: 'medium',
    documentation:
      'Emit a heartbeat record to __debezium-heartbeat.<prefix> this often (0: never); lets the slot advance while captured tables are idle.',
    validator: { min: 0 },
    group: EVENTS,
  },
  [CdcKeys.HEARTBEAT_ACTION_QUERY]: {
    type: 'string',
    default: '',
    importance: 'low',
    documentation:
      'SQL run at every heartbeat (e.g. an UPDATE of a captured heartbeat table) so WAL of this database flows even when nothing else changes.',
    group: EVENTS,
  },
  [CdcKeys.HEARTBEAT_TOPICS_PREFIX]: {
    type: 'string',
    default: '__debezium-heartbeat',
    importance: 'low',
    documentation: 'Prefix of the heartbeat topic.',
    group: EVENTS,
  },
  [CdcKeys.TOMBSTONES_ON_DELETE]: {
    type: 'boolean',
    default: true,
    importance: 'medium',
    documentation: 'Follow each delete event with a tombstone (null value) for log compaction.',
    group: EVENTS,
  },
  [CdcKeys.DECIMAL_HANDLING]: {
    type: 'string',
    default: 'precise',
    importance: 'medium',
    documentation:
      'numeric/decimal columns as precise (Connect Decimal, VariableScaleDecimal when unconstrained), double or string.',
    validator: { oneOf: ['precise', 'double', 'string'] },
    group: EVENTS,
  },
  [CdcKeys.TIME_PRECISION]: {
    type: 'string',
    default: 'adaptive',
    importance: 'medium',
    documentation:
      'adaptive, adaptive_time_microseconds or connect (Connect logical Date/Time/Timestamp, millisecond precision).',
    validator: { oneOf: ['adaptive', 'adaptive_time_microseconds', 'connect'] },
    group: EVENTS,
  },
  [CdcKeys.MESSAGE_KEY_COLUMNS]: {
    type: 'string',
    default: '',
    importance: 'low',
    documentation:
      'Custom keys: <schema>.<table>:<col>[,<col>];<schema>.<table>:<col> (table part is a regular expression).',
    group: EVENTS,
  },
  [CdcKeys.PROVIDE_TRANSACTION_METADATA]: {
    type: 'boolean',
    default: false,
    importance: 'low',
    documentation: 'Fill the envelope transaction block and emit BEGIN/END records to <prefix>.transaction.',
    group: EVENTS,
  },
  [CdcKeys.EXTENDED_HEADERS_ENABLED]: {
    type: 'boolean',
    default: true,
    importance: 'low',
    documentation:
      'Add the __debezium.context.* headers (connectorLogicalName, taskId, connectorName, runId) to every change event, as Debezium 3 does.',
    group: EVENTS,
  },
  [CdcKeys.SKIPPED_OPERATIONS]: {
    type: 'list',
    default: 't',
    importance: 'low',
    documentation: 'Operations not to emit: c, u, d, t, or none.',
    validator: { oneOf: ['c', 'u', 'd', 't', 'none'] },
    group: EVENTS,
  },
  [CdcKeys.MAX_BATCH_SIZE]: {
    type: 'int',
    default: 2048,
    importance: 'low',
    documentation: 'Most records one poll returns.',
    validator: { min: 1 },
    group: REPLICATION,
  },
  [CdcKeys.MAX_QUEUE_SIZE]: {
    type: 'int',
    default: 8192,
    importance: 'low',
    documentation: 'Records buffered before reading from PostgreSQL pauses (backpressure).',
    validator: { min: 1 },
    group: REPLICATION,
  },
  [CdcKeys.STATUS_UPDATE_INTERVAL_MS]: {
    type: 'int',
    default: 10_000,
    importance: 'low',
    documentation: 'How often a standby status update (the confirmed position) is sent to the server.',
    validator: { min: 100 },
    group: REPLICATION,
  },
  [CdcKeys.WAL_RECEIVER_TIMEOUT_MS]: {
    type: 'long',
    default: 60_000,
    importance: 'low',
    documentation:
      "A replication connection that brings no message for this long is treated as lost and reconnected, as PostgreSQL's wal_receiver_timeout does for a standby: after half of it the task asks the server for a reply. Catches networks that drop packets without closing the connection. 0 disables the check.",
    validator: { min: 0 },
    group: REPLICATION,
  },
  [CdcKeys.ERRORS_MAX_RETRIES]: {
    type: 'int',
    default: -1,
    importance: 'low',
    documentation:
      'How often to reconnect after a retriable error such as a lost connection before the task fails (-1 = no limit, 0 = fail at once, > 0 = that many attempts). The count starts over once change events flow again.',
    validator: { min: -1 },
    group: CONNECTION,
  },
  [CdcKeys.RETRIABLE_RESTART_WAIT_MS]: {
    type: 'long',
    default: 10_000,
    importance: 'low',
    documentation: 'How long to wait before each reconnect attempt after a retriable error.',
    validator: { min: 0 },
    group: CONNECTION,
  },
  [CdcKeys.SIGNAL_DATA_COLLECTION]: {
    type: 'string',
    default: '',
    importance: 'medium',
    documentation:
      'The signal table, <schema>.<table> with columns id, type, data (text): inserted execute-snapshot and stop-snapshot rows start and stop incremental snapshots, and the incremental snapshot writes its window markers there. It must be captured (in the publication and the filters). Empty: no signals, no incremental snapshots.',
    group: SIGNALS,
  },
  [CdcKeys.SIGNAL_ENABLED_CHANNELS]: {
    type: 'list',
    default: 'source',
    importance: 'low',
    documentation:
      'Where signals are read: source (the signal table) and kafka (signal.kafka.topic, records keyed by topic.prefix, read from the end of the topic at each task start).',
    validator: { oneOf: ['source', 'kafka'] },
    group: SIGNALS,
  },
  [CdcKeys.SIGNAL_KAFKA_TOPIC]: {
    type: 'string',
    default: '',
    importance: 'low',
    documentation:
      'The Kafka signal topic (with signal.enabled.channels=kafka); empty: <topic.prefix>-signal.',
    group: SIGNALS,
  },
  [CdcKeys.SIGNAL_KAFKA_BOOTSTRAP_SERVERS]: {
    type: 'string',
    default: '',
    importance: 'low',
    documentation: "The Kafka signal topic's cluster (required with signal.enabled.channels=kafka).",
    group: SIGNALS,
  },
  [CdcKeys.INCREMENTAL_SNAPSHOT_CHUNK_SIZE]: {
    type: 'int',
    default: 1024,
    importance: 'low',
    documentation: 'Rows an incremental snapshot reads per chunk (one open/close window).',
    validator: { min: 1 },
    group: SIGNALS,
  },
};

export interface CdcSettings {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly topicPrefix: string;
  readonly schemaInclude: readonly string[];
  readonly schemaExclude: readonly string[];
  readonly tableInclude: readonly string[];
  readonly tableExclude: readonly string[];
  readonly columnInclude: readonly string[];
  readonly columnExclude: readonly string[];
  readonly slotName: string;
  readonly slotDropOnStop: boolean;
  readonly slotMaxRetries: number;
  readonly slotRetryDelayMs: number;
  readonly publicationName: string;
  readonly autocreateMode: AutocreateMode;
  readonly snapshotMode: SnapshotMode;
  readonly snapshotFetchSize: number;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatActionQuery: string;
  readonly heartbeatTopicPrefix: string;
  readonly tombstonesOnDelete: boolean;
  readonly decimalMode: DecimalMode;
  readonly timePrecisionMode: TimePrecisionMode;
  readonly messageKeyColumns: string;
  readonly provideTransactionMetadata: boolean;
  readonly extendedHeadersEnabled: boolean;
  readonly skippedOperations: ReadonlySet<string>;
  readonly maxBatchSize: number;
  readonly maxQueueSize: number;
  readonly statusUpdateIntervalMs: number;
  /** wal.receiver.timeout.ms: 0 = never give a silent connection up */
  readonly walReceiverTimeoutMs: number;
  /** errors.max.retries: -1 = no limit, 0 = never reconnect */
  readonly maxRetries: number;
  readonly retryWaitMs: number;
  /** `schema.table` of the signal table; '' when signals are off. */
  readonly signalDataCollection: string;
  readonly signalChannels: ReadonlySet<string>;
  readonly signalKafkaTopic: string;
  readonly signalKafkaBootstrapServers: string;
  readonly incrementalChunkSize: number;
}

/** Connect-style config problems become one CONNECT_ERROR naming every bad key. */
export function cdcSettings(config: ConnectorConfig): CdcSettings {
  const values = ConfigValues.parse(postgresCdcConfigDef, config);
  if (values.issues.length > 0) throw connectError(values.issues.map((i) => i.message).join('\n'));
  const snapshot = values.string(CdcKeys.SNAPSHOT_MODE).trim().toLowerCase();
  return {
    host: values.string(CdcKeys.HOSTNAME).trim(),
    port: values.number(CdcKeys.PORT),
    user: values.string(CdcKeys.USER).trim(),
    password: values.string(CdcKeys.PASSWORD),
    database: values.string(CdcKeys.DBNAME).trim(),
    topicPrefix: values.string(CdcKeys.TOPIC_PREFIX).trim(),
    schemaInclude: values.list(CdcKeys.SCHEMA_INCLUDE),
    schemaExclude: values.list(CdcKeys.SCHEMA_EXCLUDE),
    tableInclude: values.list(CdcKeys.TABLE_INCLUDE),
    tableExclude: values.list(CdcKeys.TABLE_EXCLUDE),
    columnInclude: values.list(CdcKeys.COLUMN_INCLUDE),
    columnExclude: values.list(CdcKeys.COLUMN_EXCLUDE),
    slotName: values.string(CdcKeys.SLOT_NAME).trim(),
    slotDropOnStop: values.boolean(CdcKeys.SLOT_DROP_ON_STOP),
    slotMaxRetries: values.number(CdcKeys.SLOT_MAX_RETRIES),
    slotRetryDelayMs: values.number(CdcKeys.SLOT_RETRY_DELAY_MS),
    publicationName: values.string(CdcKeys.PUBLICATION_NAME).trim(),
    autocreateMode: values.string(CdcKeys.PUBLICATION_AUTOCREATE).trim().toLowerCase() as AutocreateMode,
    snapshotMode: (snapshot === 'never' ? 'no_data' : snapshot) as SnapshotMode,
    snapshotFetchSize: values.number(CdcKeys.SNAPSHOT_FETCH_SIZE),
    heartbeatIntervalMs: values.number(CdcKeys.HEARTBEAT_INTERVAL_MS),
    heartbeatActionQuery: values.string(CdcKeys.HEARTBEAT_ACTION_QUERY).trim(),
    heartbeatTopicPrefix: values.string(CdcKeys.HEARTBEAT_TOPICS_PREFIX).trim(),
    tombstonesOnDelete: values.boolean(CdcKeys.TOMBSTONES_ON_DELETE),
    decimalMode: values.string(CdcKeys.DECIMAL_HANDLING).trim().toLowerCase() as DecimalMode,
    timePrecisionMode: values.string(CdcKeys.TIME_PRECISION).trim().toLowerCase() as TimePrecisionMode,
    messageKeyColumns: values.string(CdcKeys.MESSAGE_KEY_COLUMNS).trim(),
    provideTransactionMetadata: values.boolean(CdcKeys.PROVIDE_TRANSACTION_METADATA),
    extendedHeadersEnabled: values.boolean(CdcKeys.EXTENDED_HEADERS_ENABLED),
    skippedOperations: new Set(
      values
        .list(CdcKeys.SKIPPED_OPERATIONS)
        .map((op) => op.toLowerCase())
        .filter((op) => op !== 'none'),
    ),
    maxBatchSize: values.number(CdcKeys.MAX_BATCH_SIZE),
    maxQueueSize: values.number(CdcKeys.MAX_QUEUE_SIZE),
    statusUpdateIntervalMs: values.number(CdcKeys.STATUS_UPDATE_INTERVAL_MS),
    walReceiverTimeoutMs: values.number(CdcKeys.WAL_RECEIVER_TIMEOUT_MS),
    maxRetries: values.number(CdcKeys.ERRORS_MAX_RETRIES),
    retryWaitMs: values.number(CdcKeys.RETRIABLE_RESTART_WAIT_MS),
    signalDataCollection: values.string(CdcKeys.SIGNAL_DATA_COLLECTION).trim(),
    signalChannels: new Set(values.list(CdcKeys.SIGNAL_ENABLED_CHANNELS).map((c) => c.toLowerCase())),
    signalKafkaTopic:
      values.string(CdcKeys.SIGNAL_KAFKA_TOPIC).trim() ||
      `${values.string(CdcKeys.TOPIC_PREFIX).trim()}-signal`,
    signalKafkaBootstrapServers: values.string(CdcKeys.SIGNAL_KAFKA_BOOTSTRAP_SERVERS).trim(),
    incrementalChunkSize: values.number(CdcKeys.INCREMENTAL_SNAPSHOT_CHUNK_SIZE),
  };
}
