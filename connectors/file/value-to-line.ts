import { Struct } from '../../runtime/api/index.js';

/**
 * The text the file sink writes for a record value, following Connect's `println(record.value())`:
 * strings as they are, null as "null", numbers and booleans via String, a Struct via its toString
 * (`Struct{field=value,...}`). Where Java would print an unreadable identity (byte[], maps), we write
 * something useful instead: bytes as base64 (as JsonConverter encodes them) and objects, arrays and Maps
 * as JSON. A value containing newlines is written as is, so it spans several lines (as in Connect).
 */
export function valueToLine(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  if (value instanceof Struct) return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, jsonReplacer);
  return String(value);
}

/** Reads the original (pre-toJSON) value so Buffers become base64 rather than `{"type":"Buffer",...}`. */
function jsonReplacer(this: unknown, key: string, converted: unknown): unknown {
  const original = (this as Record<string, unknown>)[key];
  if (original instanceof Uint8Array) return Buffer.from(original).toString('base64');
  if (original instanceof Struct) return original.toString();
  if (original instanceof Map) return Object.fromEntries(original);
  if (typeof original === 'bigint') return original.toString();
  return converted;
}
