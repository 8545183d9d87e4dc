import { Struct, type SinkRecord } from '../../../runtime/api/index.js';
import { JodaPathFormat } from './joda-path-format.js';

/** Turns a record into the directory part of its object name (Confluent's Partitioner.encodePartition). */
export interface Partitioner {
  encodePartition(record: SinkRecord): string;
}

/** `partition=<kafka partition>`: Confluent's DefaultPartitioner. */
export class DefaultPartitioner implements Partitioner {
  encodePartition(record: SinkRecord): string {
    return `partition=${record.kafkaPartition}`;
  }
}

/** `<field>=<value>` for each of `partition.field.name`, read from a Struct or a schemaless map value. */
export class FieldPartitioner implements Partitioner {
  constructor(
    private readonly fieldNames: readonly string[],
    private readonly directoryDelim: string,
  ) {}

  encodePartition(record: SinkRecord): string {
    return this.fieldNames
      .map((name) => `${name}=${String(fieldValue(record, name))}`)
      .join(this.directoryDelim);
  }
}

export type TimestampExtractor = (record: SinkRecord) => number;

/**
 * The record's time rounded down to `partition.duration.ms`, written with `path.format` in `timezone`
 * (Confluent's TimeBasedPartitioner; Hourly and Daily are this with fixed settings).
 */
export class TimeBasedPartitioner implements Partitioner {
  private readonly format: JodaPathFormat;

  constructor(
    pathFormat: string,
    private readonly durationMs: number,
    timeZone: string,
    private readonly timestampOf: TimestampExtractor,
  ) {
    this.format = new JodaPathFormat(pathFormat, timeZone);
  }

  encodePartition(record: SinkRecord): string {
    const time = this.timestampOf(record);
    return this.format.format(Math.floor(time / this.durationMs) * this.durationMs);
  }
}

function fieldValue(record: SinkRecord, name: string): unknown {
  const value = record.value;
  let found: unknown;
  if (value instanceof Struct) found = value.get(name);
  else if (value instanceof Map) found = value.get(name);
  else if (typeof value === 'object' && value !== null) found = (value as Record<string, unknown>)[name];
  else
    throw new Error(
      `FieldPartitioner needs a struct or map value to read ${name}; ${record.topic}-${record.kafkaPartition}@${record.kafkaOffset} has ${value === null ? 'a null value' : typeof value}`,
    );
  if (found === undefined)
    throw new Error(
      `partition.field.name ${name} is not a field of the value of ${record.topic}-${record.kafkaPartition}@${record.kafkaOffset}`,
    );
  return found;
}
