import cassandra from 'cassandra-driver';

const { Long, BigDecimal, Integer } = cassandra.types;

/**
 * A CQL value as plain JSON-friendly data for a schemaless record: bigint, varint and counter as numbers while
 * they are exact (text beyond 2^53), decimal as text, timestamps as epoch milliseconds, uuid, inet, date, time
 * and duration as their CQL text, blobs as bytes, maps as objects, sets, lists and tuples as arrays, UDTs as
 * objects.
 */
export function plainValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return value;
  if (value instanceof Long || value instanceof Integer) {
    const n = Number(value.toString());
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (value instanceof BigDecimal) return value.toString();
  if (value instanceof Date) return value.getTime();
  if (Buffer.isBuffer(value)) return new Uint8Array(value);
  if (value instanceof Map)
    return Object.fromEntries([...value.entries()].map(([k, v]) => [String(plainValue(k)), plainValue(v)]));
  if (value instanceof Set || Array.isArray(value)) return [...value].map(plainValue);
  if (value instanceof cassandra.types.Tuple) return value.values().map(plainValue);
  const text = (value as { toString(): string }).toString;
  if (text !== Object.prototype.toString) return String(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainValue(v)]));
}
