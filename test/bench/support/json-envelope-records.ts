/**
 * The records of json-records.ts as JsonConverter with schemas.enable=true writes them for datagen's
 * schemas: `{"schema":<schema>,"payload":<the schemaless JSON>}` for key and value, in Connect's
 * compact field order. Used by the sink-path-json-schemas benchmark.
 */
import { jsonRecord, type JsonRecord } from './json-records.js';

const KEY_SCHEMA =
  '{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"}],"optional":false,"name":"sluice.datagen.Key","version":1}';
const VALUE_SCHEMA =
  '{"type":"struct","fields":[{"type":"string","optional":false,"field":"id"},{"type":"int32","optional":false,"field":"task"},{"type":"int64","optional":false,"field":"seq"},{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1,"field":"ts"},{"type":"string","optional":false,"field":"payload"}],"optional":false,"name":"sluice.datagen.Value","version":1}';

/** Record `seq` with embedded schemas; the payload is the same value of `recordSizeBytes` as jsonRecord's. */
export function envelopeRecord(seq: number, recordSizeBytes: number): JsonRecord {
  const plain = jsonRecord(seq, recordSizeBytes);
  return {
    key: `{"schema":${KEY_SCHEMA},"payload":${plain.key}}`,
    value: `{"schema":${VALUE_SCHEMA},"payload":${plain.value}}`,
  };
}

/** Key plus value bytes of records [from, to) with embedded schemas. */
export function envelopeRecordBytes(from: number, to: number, recordSizeBytes: number): number {
  let bytes = 0;
  for (let seq = from; seq < to; seq++) {
    const record = envelopeRecord(seq, recordSizeBytes);
    bytes += Buffer.byteLength(record.key) + Buffer.byteLength(record.value);
  }
  return bytes;
}
