import { Struct } from '../../../runtime/api/index.js';
import type { TimestampExtractor } from './partitioner.js';

/** Confluent's `timestamp.extractor=Record`: the Kafka record's timestamp. */
export const recordTimestamp: TimestampExtractor = (record) => {
  if (record.timestamp === null)
    throw new Error(
      `${record.topic}-${record.kafkaPartition}@${record.kafkaOffset} has no timestamp for timestamp.extractor=Record`,
    );
  return record.timestamp;
};

/** `timestamp.extractor=Wallclock`: the time the sink saw the record (object names then depend on when it ran). */
export const wallclockTimestamp: TimestampExtractor = () => Date.now();

/**
 * `timestamp.extractor=RecordField`: `timestamp.field` of the value (dots reach into nested structs), as epoch
 * milliseconds, a Date (Connect Timestamp) or an ISO-8601 string.
 */
export function recordFieldTimestamp(fieldPath: string): TimestampExtractor {
  const path = fieldPath.split('.');
  return (record) => {
    let current: unknown = record.value;
    for (const name of path) {
      if (current instanceof Struct) current = current.get(name);
      else if (current instanceof Map) current = current.get(name);
      else if (typeof current === 'object' && current !== null)
        current = (current as Record<string, unknown>)[name];
      else current = undefined;
    }
    const where = `${record.topic}-${record.kafkaPartition}@${record.kafkaOffset}`;
    if (current instanceof Date) return current.getTime();
    if (typeof current === 'number' && Number.isFinite(current)) return current;
    if (typeof current === 'bigint') return Number(current);
    if (typeof current === 'string') {
      const parsed = Date.parse(current);
      if (!Number.isNaN(parsed)) return parsed;
    }
    throw new Error(
      `timestamp.field ${fieldPath} of ${where} is ${current === undefined ? 'missing' : JSON.stringify(current)}: expected epoch milliseconds, a Timestamp or an ISO-8601 string`,
    );
  };
}
