import {
  SchemaBuilder,
  Schemas,
  Struct,
  sourceRecord,
  type Header,
  type Schema,
  type SourceOffset,
  type SourceRecord,
} from '../../../runtime/api/index.js';
import { sourceStruct, TRANSACTION_BLOCK_SCHEMA, type SourceInfo } from './source-info.js';
import type { Row, TableModel } from './table-model.js';

export type Operation = 'r' | 'c' | 'u' | 'd' | 't';

export function sourcePartition(topicPrefix: string): { server: string } {
  return { server: topicPrefix };
}

export interface TransactionBlock {
  readonly id: string;
  readonly totalOrder: number;
  readonly dataCollectionOrder: number;
}

export interface ChangeEvent {
  readonly model: TableModel;
  readonly op: Operation;
  readonly before: Row | null;
  readonly after: Row | null;
  readonly source: SourceInfo;
  readonly offset: SourceOffset;
  readonly transaction: TransactionBlock | null;
  readonly tombstone: boolean;
  /** On the change record and its tombstone, in this order (contextHeaders, keyChangeHeader). */
  readonly headers: readonly Header[];
}

/**
 * Debezium 3's `__debezium.context.*` headers (DebeziumHeaderProducer, on with `extended.headers.enabled`):
 * the logical name (topic.prefix), the task id (always "0" for PostgreSQL), the connector's name
 * ("postgresql") and the id of this run of the task (a random UUID per start), all strings.
 */
export function contextHeaders(topicPrefix: string, runId: string): Header[] {
  const header = (key: string, value: string): Header => ({
    key: `__debezium.context.${key}`,
    schema: Schemas.STRING,
    value,
  });
  return [
    header('connectorLogicalName', topicPrefix),
    header('taskId', '0'),
    header('connectorName', 'postgresql'),
    header('runId', runId),
  ];
}

/**
 * On a primary key change Debezium emits a delete of the old key with `__debezium.newkey` and a create of
 * the new key with `__debezium.oldkey`: the other key, as a Struct of the key schema (a header converter
 * writes it; Connect's SimpleHeaderConverter as `{"id":2}`).
 */
export function keyChangeHeader(model: TableModel, which: 'newkey' | 'oldkey', keyRow: Row): Header {
  return { key: `__debezium.${which}`, schema: model.keySchema, value: model.keyStruct(keyRow) };
}

/** The change record (and, after a delete, its tombstone) in Debezium's envelope. */
export function changeRecords(event: ChangeEvent, topicPrefix: string): SourceRecord[] {
  const { model } = event;
  const keyRow = event.after ?? event.before;
  const key = keyRow === null ? null : model.keyStruct(keyRow);
  const processedNs = nowEpochNanos();
  const envelope = new Struct(model.envelopeSchema)
    .put('before', event.before === null ? null : model.valueStruct(event.before))
    .put('after', event.after === null ? null : model.valueStruct(event.after))
    .put('source', sourceStruct(event.source))
    .put('transaction', event.transaction === null ? null : transactionStruct(event.transaction))
    .put('op', event.op)
    .put('ts_ms', Number(processedNs / 1_000_000n))
    .put('ts_us', Number(processedNs / 1000n))
    .put('ts_ns', processedNs);
  const base = {
    sourcePartition: sourcePartition(topicPrefix),
    sourceOffset: event.offset,
    topic: model.topic,
    keySchema: model.keySchema,
    key,
    headers: event.headers,
  };
  const records = [
    sourceRecord({ ...base, valueSchema: model.envelopeSchema, value: envelope, timestamp: Date.now() }),
  ];
  if (event.op === 'd' && event.tombstone)
    records.push(sourceRecord({ ...base, valueSchema: null, value: null, timestamp: Date.now() }));
  return records;
}

/** Wall-clock time in epoch nanoseconds, as precise as the high-resolution clock allows. */
function nowEpochNanos(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

function transactionStruct(block: TransactionBlock): Struct {
  return new Struct(TRANSACTION_BLOCK_SCHEMA)
    .put('id', block.id)
    .put('total_order', block.totalOrder)
    .put('data_collection_order', block.dataCollectionOrder);
}

const HEARTBEAT_KEY_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.common.ServerNameKey')
  .field('serverName', SchemaBuilder.string().build())
  .build();
const HEARTBEAT_VALUE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.common.Heartbeat')
  .field('ts_ms', SchemaBuilder.int64().build())
  .build();

/** Debezium's heartbeat: key {serverName}, value {ts_ms}, on <heartbeat prefix>.<topic.prefix>. */
export function heartbeatRecord(
  heartbeatPrefix: string,
  topicPrefix: string,
  offset: SourceOffset,
): SourceRecord {
  return sourceRecord({
    sourcePartition: sourcePartition(topicPrefix),
    sourceOffset: offset,
    topic: `${heartbeatPrefix}.${topicPrefix}`,
    keySchema: HEARTBEAT_KEY_SCHEMA,
    key: new Struct(HEARTBEAT_KEY_SCHEMA).put('serverName', topicPrefix),
    valueSchema: HEARTBEAT_VALUE_SCHEMA,
    value: new Struct(HEARTBEAT_VALUE_SCHEMA).put('ts_ms', Date.now()),
    timestamp: Date.now(),
  });
}

const TX_KEY_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.common.TransactionMetadataKey')
  .field('id', SchemaBuilder.string().build())
  .build();
const TX_COLLECTION_SCHEMA: Schema = SchemaBuilder.struct()
  .name('event.collection')
  .version(1)
  .field('data_collection', SchemaBuilder.string().build())
  .field('event_count', SchemaBuilder.int64().build())
  .build();
const TX_VALUE_SCHEMA: Schema = SchemaBuilder.struct()
  .name('io.debezium.connector.common.TransactionMetadataValue')
  .field('status', SchemaBuilder.string().build())
  .field('id', SchemaBuilder.string().build())
  .field('event_count', SchemaBuilder.int64().optional().build())
  .field('data_collections', SchemaBuilder.array(TX_COLLECTION_SCHEMA).optional().build())
  .field('ts_ms', SchemaBuilder.int64().build())
  .build();

/** BEGIN/END records on <prefix>.transaction (provide.transaction.metadata). */
export function transactionRecord(
  topicPrefix: string,
  status: 'BEGIN' | 'END',
  id: string,
  tsMs: number,
  offset: SourceOffset,
  counts: ReadonlyMap<string, number> | null,
): SourceRecord {
  const value = new Struct(TX_VALUE_SCHEMA).put('status', status).put('id', id).put('ts_ms', tsMs);
  if (counts !== null) {
    let total = 0;
    const collections: Struct[] = [];
    for (const [collection, count] of counts) {
      total += count;
      collections.push(
        new Struct(TX_COLLECTION_SCHEMA).put('data_collection', collection).put('event_count', count),
      );
    }
    value.put('event_count', total).put('data_collections', collections);
  }
  return sourceRecord({
    sourcePartition: sourcePartition(topicPrefix),
    sourceOffset: offset,
    topic: `${topicPrefix}.transaction`,
    keySchema: TX_KEY_SCHEMA,
    key: new Struct(TX_KEY_SCHEMA).put('id', id),
    valueSchema: TX_VALUE_SCHEMA,
    value,
    timestamp: Date.now(),
  });
}
