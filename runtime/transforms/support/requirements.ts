import type { ConnectRecord, SinkRecord } from '../../api/records.js';
import type { Schema } from '../../api/schema.js';
import { Struct } from '../../api/struct.js';
import { dataError } from './errors.js';

/** A schemaless map value: a plain object (Connect's java.util.Map). */
export type PlainMap = Record<string, unknown>;

export function isPlainMap(value: unknown): value is PlainMap {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A short type name for messages, in place of Java's class names. */
export function typeNameOf(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return typeof value;
  if (isPlainMap(value)) return 'Map';
  return (value as object).constructor?.name ?? 'object';
}

export function requireSchema(schema: Schema | null, purpose: string): Schema {
  if (schema === null) throw dataError(`Schema required for [${purpose}]`);
  return schema;
}

export function requireMap(value: unknown, purpose: string): PlainMap {
  if (!isPlainMap(value)) {
    throw dataError(
      `Only Map objects supported in absence of schema for [${purpose}], found: ${typeNameOf(value)}`,
    );
  }
  return value;
}

export function requireMapOrNull(value: unknown, purpose: string): PlainMap | null {
  return value === null || value === undefined ? null : requireMap(value, purpose);
}

export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct))
    throw dataError(`Only Struct objects supported for [${purpose}], found: ${typeNameOf(value)}`);
  return value;
}

export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value === null || value === undefined ? null : requireStruct(value, purpose);
}

function isSinkRecord(record: ConnectRecord): record is SinkRecord {
  return typeof (record as Partial<SinkRecord>).kafkaOffset === 'number';
}

export function requireSinkRecord(record: ConnectRecord, purpose: string): SinkRecord {
  if (!isSinkRecord(record))
    throw dataError(`Only SinkRecord supported for [${purpose}], found: SourceRecord`);
  return record;
}
