import type { ConnectRecord } from '../../api/records.js';
import type { Schema } from '../../api/schema.js';

/** Which half of the record a `$Key` or `$Value` transform works on. */
export interface RecordSide {
  readonly name: 'Key' | 'Value';
  schema(record: ConnectRecord): Schema | null;
  value(record: ConnectRecord): unknown;
  /** A copy of the record with this side replaced; every other field (source offsets, kafkaOffset, …) is kept. */
  update<R extends ConnectRecord>(record: R, schema: Schema | null, value: unknown): R;
}

export const KEY_SIDE: RecordSide = {
  name: 'Key',
  schema: (record) => record.keySchema,
  value: (record) => record.key,
  update: (record, schema, value) => ({ ...record, keySchema: schema, key: value }),
};

export const VALUE_SIDE: RecordSide = {
  name: 'Value',
  schema: (record) => record.valueSchema,
  value: (record) => record.value,
  update: (record, schema, value) => ({ ...record, valueSchema: schema, value }),
};
