import {
  Schemas,
  sourceRecord,
  type Header,
  type JsonObject,
  type SourceRecord,
} from '../../../runtime/api/index.js';
import type { StoredRecord } from '../format/record-format.js';

/** Where a restored record goes and which position it stands for. */
export interface RestoredRecordTarget {
  readonly topic: string;
  /** The partition to write to; null lets the producer's partitioner choose (key hash). */
  readonly kafkaPartition: number | null;
  readonly sourcePartition: JsonObject;
  readonly sourceOffset: JsonObject;
}

/**
 * A record as an object stored it, back as a source record: key, value, timestamp and headers as they were.
 * Shared by the S3 source and the `replay` job, so both restore records the same way.
 */
export function restoredRecord(stored: StoredRecord, target: RestoredRecordTarget): SourceRecord {
  return sourceRecord({
    sourcePartition: target.sourcePartition,
    sourceOffset: target.sourceOffset,
    topic: target.topic,
    kafkaPartition: target.kafkaPartition,
    keySchema: stored.keySchema ?? bytesSchemaOf(stored.key),
    key: stored.key,
    valueSchema: stored.valueSchema ?? bytesSchemaOf(stored.value),
    value: stored.value,
    timestamp: stored.timestamp,
    headers: stored.headers.map(withBytesSchema),
  });
}

/** Bytes (base64 JSON, ByteArrayFormat) get Connect's optional bytes schema, so converters treat them as bytes. */
function bytesSchemaOf(value: unknown): typeof Schemas.OPTIONAL_BYTES | null {
  return value instanceof Uint8Array ? Schemas.OPTIONAL_BYTES : null;
}

function withBytesSchema(header: Header): Header {
  return header.schema === null && header.value instanceof Uint8Array
    ? { ...header, schema: Schemas.OPTIONAL_BYTES }
    : header;
}
