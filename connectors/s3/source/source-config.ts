import {
  ConfigValues,
  connectError,
  sinkRetryTimeoutMs,
  type ConfigDef,
  type ConfigIssue,
  type ConnectorConfig,
} from '../../../runtime/api/index.js';
import { formatConfigDef, formatIssues, FormatKeys, recordFormat } from '../config/format-config.js';
import { layoutConfigDef, objectKeyLayout } from '../config/layout-config.js';
import { objectStoreSettings, storeConfigDef } from '../config/store-config.js';
import type { RecordFormat } from '../format/record-format.js';
import type { ObjectKeyLayout } from '../layout/object-key.js';
import type { ObjectStoreSettings } from '../storage/object-store.js';
import { parseTime, TimeWindow } from './time-window.js';
import { TopicRenamer } from './topic-renamer.js';

export const S3SourceKeys = {
  TOPICS: 'topics',
  TOPIC_REGEX: 'topic.regex',
  TOPIC_REPLACEMENT: 'topic.regex.replacement',
  RESTORE_PARTITIONS: 'restore.partitions',
  START_TIME: 'start.time',
  END_TIME: 'end.time',
  POLL_INTERVAL_MS: 's3.poll.interval.ms',
  BATCH_MAX_RECORDS: 'batch.max.records',
  /** Set by the connector on each task config: which share of the (topic, partition) groups a task reads. */
  TASK_INDEX: 'task.index',
  TASK_COUNT: 'task.count',
} as const;

const group = 'Source';
/** As in the sink: a wrong bucket or wrong credentials do not heal, so retrying for ever only hides them. */
const DEFAULT_RETRY_TIMEOUT_MS = 300_000;

const timeCheck = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' && parseTime(value) === null
    ? 'use an ISO-8601 time (2026-01-31T12:00:00Z) or epoch milliseconds'
    : null;

export const s3SourceConfigDef: ConfigDef = {
  ...storeConfigDef,
  ...layoutConfigDef,
  ...formatConfigDef,
  [S3SourceKeys.TOPICS]: {
    type: 'list',
    importance: 'high',
    group,
    orderInGroup: 1,
    documentation:
      'The topics whose objects to read: the source reads <topics.dir>/<topic>/ for each, as the S3 sink wrote them.',
    validator: {
      check: (value) => (Array.isArray(value) && value.length > 0 ? null : 'name at least one topic'),
    },
  },
  [S3SourceKeys.TOPIC_REGEX]: {
    type: 'string',
    default: null,
    importance: 'medium',
    group,
    orderInGroup: 2,
    documentation:
      'A regular expression matched against the whole source topic name; a matching topic is written to topic.regex.replacement instead. Unset: records go to the topic they came from.',
    validator: {
      check: (value) => {
        if (typeof value !== 'string') return null;
        try {
          new RegExp(value);
          return null;
        } catch (error) {
          return (error as Error).message;
        }
      },
    },
  },
  [S3SourceKeys.TOPIC_REPLACEMENT]: {
    type: 'string',
    default: null,
    importance: 'medium',
    group,
    orderInGroup: 3,
    documentation:
      'The target topic for source topics matching topic.regex; $1, $2 ... are its groups (topic.regex=(.*) with restored-$1 writes orders to restored-orders).',
  },
  [S3SourceKeys.RESTORE_PARTITIONS]: {
    type: 'boolean',
    default: true,
    importance: 'medium',
    group,
    orderInGroup: 4,
    documentation:
      "true: each record goes to the partition it was read from (the object name's partition), so per-partition order and key placement survive; the target topic needs at least as many partitions, or the task fails naming the partition. false: the producer's partitioner chooses (key hash).",
  },
  [S3SourceKeys.START_TIME]: {
    type: 'string',
    default: null,
    importance: 'medium',
    group,
    orderInGroup: 5,
    documentation:
      'Skip records whose timestamp is before this (ISO-8601 or epoch milliseconds). Needs timestamp in format.output.fields; records stored with a null timestamp are kept.',
    validator: { check: timeCheck },
  },
  [S3SourceKeys.END_TIME]: {
    type: 'string',
    default: null,
    importance: 'medium',
    group,
    orderInGroup: 6,
    documentation:
      'Skip records whose timestamp is at or after this (ISO-8601 or epoch milliseconds). Same rules as start.time.',
    validator: { check: timeCheck },
  },
  [S3SourceKeys.POLL_INTERVAL_MS]: {
    type: 'long',
    default: 10_000,
    importance: 'medium',
    group,
    orderInGroup: 7,
    documentation:
      'When every listed object has been read, how long to wait before listing the bucket again for new objects.',
    validator: { min: 100 },
  },
  [S3SourceKeys.BATCH_MAX_RECORDS]: {
    type: 'int',
    default: 2_000,
    importance: 'low',
    group,
    orderInGroup: 8,
    documentation: 'At most this many records per poll. A task holds one decoded object in memory at a time.',
    validator: { min: 1 },
  },
  [S3SourceKeys.TASK_INDEX]: {
    type: 'int',
    default: 0,
    importance: 'low',
    group,
    orderInGroup: 9,
    documentation:
      'Set by the connector: this task reads the (topic, partition) groups assigned to this index.',
    validator: { min: 0 },
  },
  [S3SourceKeys.TASK_COUNT]: {
    type: 'int',
    default: 1,
    importance: 'low',
    group,
    orderInGroup: 10,
    documentation: 'Set by the connector: how many tasks share the (topic, partition) groups.',
    validator: { min: 1 },
  },
};

export interface S3SourceSettings {
  readonly store: ObjectStoreSettings;
  readonly layout: ObjectKeyLayout;
  readonly format: RecordFormat;
  readonly topics: readonly string[];
  readonly renamer: TopicRenamer;
  readonly restorePartitions: boolean;
  readonly window: TimeWindow;
  readonly pollIntervalMs: number;
  readonly batchMaxRecords: number;
  readonly taskIndex: number;
  readonly taskCount: number;
  readonly retryTimeoutMs: number;
  /** errors.tolerance=all: an object that cannot be decoded is skipped (logged) instead of failing the task. */
  readonly skipUnreadable: boolean;
}

/** The rules between keys (the runtime checks each key against the ConfigDef itself). */
export function s3SourceCrossKeyIssues(config: ConnectorConfig): ConfigIssue[] {
  const values = ConfigValues.parse(s3SourceConfigDef, config);
  const issues = formatIssues(values);
  const regex = values.optionalString(S3SourceKeys.TOPIC_REGEX);
  const replacement = values.optionalString(S3SourceKeys.TOPIC_REPLACEMENT);
  if ((regex === null) !== (replacement === null))
    issues.push({
      key: regex === null ? S3SourceKeys.TOPIC_REGEX : S3SourceKeys.TOPIC_REPLACEMENT,
      message: 'topic.regex and topic.regex.replacement are set together (a rename needs both)',
    });
  const filtered = [S3SourceKeys.START_TIME, S3SourceKeys.END_TIME].filter(
    (key) => (values.optionalString(key) ?? '').trim() !== '',
  );
  if (filtered.length > 0 && !values.list(FormatKeys.OUTPUT_FIELDS).includes('timestamp'))
    issues.push({
      key: filtered[0]!,
      message:
        'filtering by time needs the timestamps stored: add timestamp to format.output.fields (as the sink wrote them)',
    });
  const start = parseTime(values.optionalString(S3SourceKeys.START_TIME) ?? '');
  const end = parseTime(values.optionalString(S3SourceKeys.END_TIME) ?? '');
  if (start !== null && end !== null && end <= start)
    issues.push({ key: S3SourceKeys.END_TIME, message: 'end.time must be after start.time' });
  return issues;
}

export function s3SourceIssues(config: ConnectorConfig): ConfigIssue[] {
  const values = ConfigValues.parse(s3SourceConfigDef, config);
  return values.issues.length > 0 ? [...values.issues] : s3SourceCrossKeyIssues(config);
}

export async function s3SourceSettings(config: ConnectorConfig): Promise<S3SourceSettings> {
  const issues = s3SourceIssues(config);
  if (issues.length > 0) throw connectError(issues.map((i) => `${i.key}: ${i.message}`).join('\n'));
  const values = ConfigValues.parse(s3SourceConfigDef, config);
  return {
    store: objectStoreSettings(values),
    layout: objectKeyLayout(values),
    format: await recordFormat(values),
    topics: values.list(S3SourceKeys.TOPICS),
    renamer: new TopicRenamer(
      values.optionalString(S3SourceKeys.TOPIC_REGEX),
      values.optionalString(S3SourceKeys.TOPIC_REPLACEMENT),
    ),
    restorePartitions: values.boolean(S3SourceKeys.RESTORE_PARTITIONS),
    window: new TimeWindow(
      parseTime(values.optionalString(S3SourceKeys.START_TIME) ?? ''),
      parseTime(values.optionalString(S3SourceKeys.END_TIME) ?? ''),
    ),
    pollIntervalMs: values.number(S3SourceKeys.POLL_INTERVAL_MS),
    batchMaxRecords: values.number(S3SourceKeys.BATCH_MAX_RECORDS),
    taskIndex: values.number(S3SourceKeys.TASK_INDEX),
    taskCount: values.number(S3SourceKeys.TASK_COUNT),
    retryTimeoutMs:
      config['errors.retry.timeout'] === undefined ? DEFAULT_RETRY_TIMEOUT_MS : sinkRetryTimeoutMs(config),
    skipUnreadable: (config['errors.tolerance'] ?? 'none').trim().toLowerCase() === 'all',
  };
}
