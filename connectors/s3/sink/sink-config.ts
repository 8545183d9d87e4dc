import {
  ConfigValues,
  connectError,
  sinkRetryTimeoutMs,
  type ConfigDef,
  type ConfigIssue,
  type ConnectorConfig,
} from '../../../runtime/api/index.js';
import { formatConfigDef, formatIssues, recordFormat } from '../config/format-config.js';
import { layoutConfigDef, objectKeyLayout } from '../config/layout-config.js';
import { objectStoreSettings, storeConfigDef } from '../config/store-config.js';
import type { RecordFormat } from '../format/record-format.js';
import type { ObjectKeyLayout } from '../layout/object-key.js';
import type { Partitioner, TimestampExtractor } from '../layout/partitioner.js';
import type { ObjectStoreSettings } from '../storage/object-store.js';
import {
  partitioner,
  partitionerConfigDef,
  partitionerIssues,
  timestampExtractor,
} from './partitioner-config.js';

export const S3SinkKeys = {
  FLUSH_SIZE: 'flush.size',
  ROTATE_INTERVAL_MS: 'rotate.interval.ms',
  ROTATE_SCHEDULE_INTERVAL_MS: 'rotate.schedule.interval.ms',
  PART_SIZE: 's3.part.size',
  NULL_VALUES: 'behavior.on.null.values',
} as const;

export type NullValueBehavior = 'ignore' | 'fail' | 'write';

const MIN_PART_SIZE = 5 * 1024 * 1024;
const group = 'Connector';

/** Five minutes: a wrong bucket or wrong credentials do not heal, so retrying for ever (Connect's sink default) only hides them. */
const DEFAULT_RETRY_TIMEOUT_MS = 300_000;

export const s3SinkConfigDef: ConfigDef = {
  ...storeConfigDef,
  ...layoutConfigDef,
  ...formatConfigDef,
  ...partitionerConfigDef,
  [S3SinkKeys.FLUSH_SIZE]: {
    type: 'int',
    importance: 'high',
    group,
    orderInGroup: 1,
    documentation:
      'Records per object: a file is completed after this many records of one Kafka partition. Object names then depend only on offsets, which makes the sink exactly once.',
    validator: { min: 1 },
  },
  [S3SinkKeys.ROTATE_INTERVAL_MS]: {
    type: 'long',
    default: -1,
    importance: 'high',
    group,
    orderInGroup: 2,
    documentation:
      "Also complete a file when a record's timestamp (from timestamp.extractor) is this long after the file's first; -1 never. Deterministic with Record or RecordField timestamps, so still exactly once.",
  },
  [S3SinkKeys.ROTATE_SCHEDULE_INTERVAL_MS]: {
    type: 'long',
    default: -1,
    importance: 'medium',
    group,
    orderInGroup: 3,
    documentation:
      "Also complete open files on the sink's clock, at multiples of this interval (so quiet partitions still reach S3); -1 never. Not exactly once: a crash between upload and offset commit can write a second, overlapping object.",
  },
  [S3SinkKeys.PART_SIZE]: {
    type: 'int',
    default: 25 * 1024 * 1024,
    importance: 'high',
    group,
    orderInGroup: 4,
    documentation:
      'Objects larger than this are uploaded in parts of this size (multipart upload) while they are written, so memory per open file stays below it. At least 5 MiB (S3).',
    validator: { min: MIN_PART_SIZE },
  },
  [S3SinkKeys.NULL_VALUES]: {
    type: 'string',
    default: 'fail',
    importance: 'low',
    group,
    orderInGroup: 5,
    documentation:
      'A record with a null value (a tombstone): fail (the dead letter queue takes it with errors.tolerance=all, else the task fails), ignore (skip) it, or write it: a JSON null line; in Parquet only where the value is an optional column of its own (format.output.fields with more fields), otherwise the record is refused like fail.',
    validator: { oneOf: ['ignore', 'fail', 'write'] },
  },
};

export interface S3SinkSettings {
  readonly store: ObjectStoreSettings;
  readonly layout: ObjectKeyLayout;
  readonly format: RecordFormat;
  readonly partitioner: Partitioner;
  readonly timestampOf: TimestampExtractor;
  readonly flushSize: number;
  readonly rotateIntervalMs: number;
  readonly rotateScheduleIntervalMs: number;
  readonly timezone: string;
  readonly partSize: number;
  readonly nullValues: NullValueBehavior;
  readonly retryTimeoutMs: number;
}

/** The rules between keys (the runtime checks each key against the ConfigDef itself). */
export function s3SinkCrossKeyIssues(config: ConnectorConfig): ConfigIssue[] {
  const values = ConfigValues.parse(s3SinkConfigDef, config);
  return [...formatIssues(values), ...partitionerIssues(values)];
}

export function s3SinkIssues(config: ConnectorConfig): ConfigIssue[] {
  const values = ConfigValues.parse(s3SinkConfigDef, config);
  return values.issues.length > 0 ? [...values.issues] : s3SinkCrossKeyIssues(config);
}

export async function s3SinkSettings(config: ConnectorConfig): Promise<S3SinkSettings> {
  const issues = s3SinkIssues(config);
  if (issues.length > 0) throw connectError(issues.map((i) => `${i.key}: ${i.message}`).join('\n'));
  const values = ConfigValues.parse(s3SinkConfigDef, config);
  const layout = objectKeyLayout(values);
  const retry =
    config['errors.retry.timeout'] === undefined ? DEFAULT_RETRY_TIMEOUT_MS : sinkRetryTimeoutMs(config);
  return {
    store: objectStoreSettings(values),
    layout,
    format: await recordFormat(values),
    partitioner: partitioner(values, layout.directoryDelim),
    timestampOf: timestampExtractor(values),
    flushSize: values.number(S3SinkKeys.FLUSH_SIZE),
    rotateIntervalMs: values.number(S3SinkKeys.ROTATE_INTERVAL_MS),
    rotateScheduleIntervalMs: values.number(S3SinkKeys.ROTATE_SCHEDULE_INTERVAL_MS),
    timezone: values.string('timezone') === '' ? 'UTC' : values.string('timezone'),
    partSize: values.number(S3SinkKeys.PART_SIZE),
    nullValues: values.string(S3SinkKeys.NULL_VALUES) as NullValueBehavior,
    retryTimeoutMs: retry,
  };
}
