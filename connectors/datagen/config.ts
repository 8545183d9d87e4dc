import { ConfigValues } from '../../runtime/api/index.js';
import type { ConfigDef, ConnectorConfig, ParsedConfigValue } from '../../runtime/api/index.js';

export const DatagenKeys = {
  TOPIC: 'kafka.topic',
  MAX_RECORDS: 'max.records',
  RECORDS_PER_SECOND: 'records.per.second',
  RECORD_SIZE_BYTES: 'record.size.bytes',
  BATCH_SIZE: 'batch.size',
  START_TIMESTAMP_MS: 'start.timestamp.ms',
  TIMESTAMP_STEP_MS: 'timestamp.step.ms',
  RECORD_TIMESTAMP: 'record.timestamp',
} as const;

/**
 * Set by the connector in each task config (not a user key): which of the connector's tasks this is.
 * It names the task's own sequence and source partition, so it must not depend on runtime task numbering.
 */
export const TASK_INDEX_KEY = 'datagen.task.index';

/** 2024-01-01T00:00:00Z: a fixed default keeps output byte-identical across runs. */
export const DEFAULT_START_TIMESTAMP_MS = 1_704_067_200_000;

const UNBOUNDED = -1;

function minusOneOrPositive(value: ParsedConfigValue): string | null {
  return typeof value === 'number' && value !== UNBOUNDED && value <= 0
    ? 'must be -1 (no limit) or greater than 0'
    : null;
}

export const datagenConfigDef: ConfigDef = {
  [DatagenKeys.TOPIC]: {
    type: 'string',
    importance: 'high',
    documentation: 'The topic to publish generated records to.',
    validator: { nonEmpty: true, pattern: '^[a-zA-Z0-9._-]{1,249}$' },
    group: 'Output',
    displayName: 'Topic',
  },
  [DatagenKeys.MAX_RECORDS]: {
    type: 'long',
    default: UNBOUNDED,
    importance: 'medium',
    documentation:
      'Records each task generates in total, counted across restarts; -1 generates forever. With tasks.max=n the connector produces n times this many.',
    validator: { min: UNBOUNDED },
    group: 'Volume',
    displayName: 'Records per task',
  },
  [DatagenKeys.RECORDS_PER_SECOND]: {
    type: 'double',
    default: UNBOUNDED,
    importance: 'medium',
    documentation:
      'Rate limit per task in records per second; -1 generates as fast as the worker accepts them.',
    validator: { check: minusOneOrPositive },
    group: 'Volume',
    displayName: 'Records per second per task',
  },
  [DatagenKeys.RECORD_SIZE_BYTES]: {
    type: 'int',
    default: 100,
    importance: 'medium',
    documentation:
      'Approximate size of each value, measured as schemaless JSON; the payload field is padded to reach it. Values never shrink below their fixed fields.',
    validator: { min: 0, max: 16 * 1024 * 1024 },
    group: 'Volume',
    displayName: 'Record size (bytes)',
  },
  [DatagenKeys.BATCH_SIZE]: {
    type: 'int',
    default: 1000,
    importance: 'low',
    documentation: 'The maximum number of records a task returns from one poll.',
    validator: { min: 1 },
    group: 'Volume',
    displayName: 'Batch size',
  },
  [DatagenKeys.START_TIMESTAMP_MS]: {
    type: 'long',
    default: DEFAULT_START_TIMESTAMP_MS,
    importance: 'low',
    documentation:
      "The `ts` field of each task's record with seq 0 (epoch milliseconds); `ts` is start.timestamp.ms + seq * timestamp.step.ms, never the wall clock, so equal configs give identical values.",
    validator: { min: 0 },
    group: 'Output',
    displayName: 'Start timestamp (ms)',
  },
  [DatagenKeys.TIMESTAMP_STEP_MS]: {
    type: 'long',
    default: 1,
    importance: 'low',
    documentation: 'Milliseconds between the `ts` fields of consecutive records of a task.',
    validator: { min: 0 },
    group: 'Output',
    displayName: 'Timestamp step (ms)',
  },
  [DatagenKeys.RECORD_TIMESTAMP]: {
    type: 'string',
    default: 'wallclock',
    importance: 'low',
    documentation:
      "The Kafka record timestamp: `wallclock` = when the record is produced; `value` = the value's deterministic `ts` (byte-identical records across runs, but a broker's time-based retention (log.retention.hours, 7 days by default) deletes segments holding only old timestamps within minutes, records not yet consumed included, unless start.timestamp.ms is recent).",
    validator: { oneOf: ['wallclock', 'value'] },
    group: 'Output',
    displayName: 'Record timestamp',
  },
};

export interface DatagenSettings {
  readonly topic: string;
  /** null: unbounded */
  readonly maxRecords: number | null;
  /** null: as fast as possible */
  readonly recordsPerSecond: number | null;
  readonly recordSizeBytes: number;
  readonly batchSize: number;
  readonly startTimestampMs: number;
  readonly timestampStepMs: number;
  /** Whether the Kafka record carries the value's `ts` (true) or the produce time (false). */
  readonly recordTimestampFromValue: boolean;
}

export function datagenSettings(config: ConnectorConfig): DatagenSettings {
  const values = ConfigValues.parseOrThrow(datagenConfigDef, config);
  const maxRecords = values.number(DatagenKeys.MAX_RECORDS);
  const recordsPerSecond = values.number(DatagenKeys.RECORDS_PER_SECOND);
  return {
    topic: values.string(DatagenKeys.TOPIC).trim(),
    maxRecords: maxRecords === UNBOUNDED ? null : maxRecords,
    recordsPerSecond: recordsPerSecond === UNBOUNDED ? null : recordsPerSecond,
    recordSizeBytes: values.number(DatagenKeys.RECORD_SIZE_BYTES),
    batchSize: values.number(DatagenKeys.BATCH_SIZE),
    startTimestampMs: values.number(DatagenKeys.START_TIMESTAMP_MS),
    timestampStepMs: values.number(DatagenKeys.TIMESTAMP_STEP_MS),
    recordTimestampFromValue: values.string(DatagenKeys.RECORD_TIMESTAMP).toLowerCase() === 'value',
  };
}
