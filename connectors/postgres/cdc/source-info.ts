import { SchemaBuilder, Struct, type Schema } from '../../../runtime/api/index.js';

/** The Debezium release whose event shapes Sluice writes, marked as Sluice's. */
export const CONNECTOR_VERSION = '3.6.1.Final-sluice';

/** source.snapshot: Debezium's io.debezium.data.Enum ("incremental": a row of an incremental snapshot). */
export type SnapshotMarker =
  | 'true'
  | 'first'
  | 'first_in_data_collection'
  | 'last_in_data_collection'
  | 'last'
  | 'false'
  | 'incremental';

/** Where a snapshot read stands among the snapshot's records and its table's. */
export interface SnapshotPosition {
  /** The snapshot's first table (in the order tables are read), whether or not it has rows. */
  readonly inFirstTable: boolean;
  readonly firstInTable: boolean;
  readonly lastInTable: boolean;
  /** The very last record the snapshot emits, whichever table it comes from. */
  readonly lastInSnapshot: boolean;
}

/**
 * Debezium 3's marker (RelationalSnapshotChangeEventSource.SnapshotMarkerResolver, then the buffering
 * receiver's completeSnapshot, which marks the final record "last" even when later tables are empty):
 * last, then first (first row of the first table; none when that table is empty), then
 * last_in_data_collection, then first_in_data_collection, else true. A table's only row is
 * last_in_data_collection.
 */
export function snapshotMarkerOf(p: SnapshotPosition): SnapshotMarker {
  if (p.lastInSnapshot) return 'last';
  if (p.firstInTable && p.inFirstTable) return 'first';
  if (p.lastInTable) return 'last_in_data_collection';
  if (p.firstInTable) return 'first_in_data_collection';
  return 'true';
}

/** The source block as Debezium 3 writes it: schema version 1, ts_us/ts_ns and the origin fields. */
export const SOURCE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.Source')
  .version(1)
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
      .parameter(
        'allowed',
        'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental',
      )
      .defaultValue('false')
      .build(),
  )
  .field('db', SchemaBuilder.string().build())
  .field('sequence', SchemaBuilder.string().optional().build())
  .field('ts_us', SchemaBuilder.int64().optional().build())
  .field('ts_ns', SchemaBuilder.int64().optional().build())
  .field('schema', SchemaBuilder.string().build())
  .field('table', SchemaBuilder.string().build())
  .field('txId', SchemaBuilder.int64().optional().build())
  .field('lsn', SchemaBuilder.int64().optional().build())
  .field('xmin', SchemaBuilder.int64().optional().build())
  .field('origin', SchemaBuilder.string().optional().build())
  .field('origin_lsn', SchemaBuilder.int64().optional().build())
  .build();

export interface SourceInfo {
  readonly serverName: string;
  /** When the change happened (commit time, or the snapshot's start), in epoch microseconds. */
  readonly tsUs: number;
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
    .put('ts_ms', Math.floor(info.tsUs / 1000))
    .put('snapshot', info.snapshot)
    .put('db', info.db)
    .put('sequence', info.sequence)
    .put('ts_us', info.tsUs)
    .put('ts_ns', BigInt(info.tsUs) * 1000n)
    .put('schema', info.schema)
    .put('table', info.table)
    .put('txId', info.txId)
    .put('lsn', info.lsn)
    .put('xmin', null)
    .put('origin', null)
    .put('origin_lsn', null);
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
