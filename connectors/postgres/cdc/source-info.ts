import { SchemaBuilder, Struct, type Schema } from '../../../runtime/api/index.js';

export const CONNECTOR_VERSION = '2.7.0.Final-sluice';

/** source.snapshot: Debezium's io.debezium.data.Enum of "true", "last", "false", "incremental". */
export type SnapshotMarker = 'true' | 'last' | 'false';

export const SOURCE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.Source')
  .field('version', SchemaBuilder.string().build())
  .field('connector', SchemaBuilder.string().build())
  .field('name', SchemaBuilder.string().build())
  .field('ts_ms', SchemaBuilder.int64().build())
  .field(
    'snapshot',
    SchemaBuilder.string()
      .optional()
      .name('io.debezium.data.Enum')
      .version(1)
      .parameter('allowed', 'true,last,false,incremental')
      .defaultValue('false')
      .build(),
  )
  .field('db', SchemaBuilder.string().build())
  .field('sequence', SchemaBuilder.string().optional().build())
  .field('schema', SchemaBuilder.string().build())
  .field('table', SchemaBuilder.string().build())
  .field('txId', SchemaBuilder.int64().optional().build())
  .field('lsn', SchemaBuilder.int64().optional().build())
  .field('xmin', SchemaBuilder.int64().optional().build())
  .build();

export interface SourceInfo {
  readonly serverName: string;
  readonly tsMs: number;
  readonly snapshot: SnapshotMarker;
  readonly db: string;
  /** Debezium's sequence: JSON array text of [last commit LSN, this event's LSN], both as strings. */
  readonly sequence: string | null;
  readonly schema: string;
  readonly table: string;
  readonly txId: number | null;
  readonly lsn: number | null;
}

export function sourceStruct(info: SourceInfo): Struct {
  return new Struct(SOURCE_SCHEMA)
    .put('version', CONNECTOR_VERSION)
    .put('connector', 'postgresql')
    .put('name', info.serverName)
    .put('ts_ms', info.tsMs)
    .put('snapshot', info.snapshot)
    .put('db', info.db)
    .put('sequence', info.sequence)
    .put('schema', info.schema)
    .put('table', info.table)
    .put('txId', info.txId)
    .put('lsn', info.lsn)
    .put('xmin', null);
}

export function sequenceOf(lastCommitLsn: number | null, lsn: number | null): string {
  return JSON.stringify([
    lastCommitLsn === null ? null : String(lastCommitLsn),
    lsn === null ? null : String(lsn),
  ]);
}

/** The envelope's transaction block (provide.transaction.metadata). */
export const TRANSACTION_BLOCK_SCHEMA: Schema = SchemaBuilder.struct()
  .optional()
  .name('event.block')
  .version(1)
  .field('id', SchemaBuilder.string().build())
  .field('total_order', SchemaBuilder.int64().build())
  .field('data_collection_order', SchemaBuilder.int64().build())
  .build();
