import { Struct, type SinkRecord } from '../../runtime/api/index.js';
import type { FieldSource } from './mapping.js';

/** "Not there", as opposed to a field that is there and null. */
export const MISSING: unique symbol = Symbol('missing field');

function child(value: unknown, name: string): unknown {
  if (value instanceof Struct) {
    return value.schema.fields?.some((f) => f.name === name) ? value.get(name) : MISSING;
  }
  if (value instanceof Map) return value.has(name) ? value.get(name) : MISSING;
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value))
    return Object.prototype.hasOwnProperty.call(value, name)
      ? (value as Record<string, unknown>)[name]
      : MISSING;
  return MISSING;
}

/** The value a mapping entry reads from a record (MISSING when the path does not exist). */
export function readField(record: SinkRecord, source: FieldSource, now: Date): unknown {
  switch (source.kind) {
    case 'now':
      return now;
    case 'recordTimestamp':
      return record.timestamp === null ? null : new Date(record.timestamp);
    case 'header': {
      // The last header with the name wins, as Kafka's Headers.lastHeader does.
      const header = [...record.headers].reverse().find((h) => h.key === source.name);
      if (header === undefined) return MISSING;
      return Buffer.isBuffer(header.value) ? header.value.toString('utf8') : header.value;
    }
    case 'key':
    case 'value': {
      let value: unknown = source.kind === 'key' ? record.key : record.value;
      for (const name of source.path) {
        if (value === null || value === undefined) return null;
        value = child(value, name);
        if (value === MISSING) return MISSING;
      }
      return value;
    }
  }
}
