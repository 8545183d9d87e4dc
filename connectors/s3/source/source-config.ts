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
import type { ObjectStoreSettings } from '../storage/object-store.js';

export const S3SourceKeys = {
  TOPICS: 'topics',
  TOPIC_REGEX: 'topic.regex',
  TOPIC_REPLACEMENT: 'topic.regex.replacement',
  RESTORE_PARTITIONS: 'restore.partitions',
  START_TIME: 'start.time',
  END_TIME: 'end.time',
  POLL_INTERVAL_MS: 's3.poll.interval.ms',
  BATCH_MAX_RECORDS: 'batch.max.records',
} as const;

const group = 'Source';
/** Five minutes, as the sink: a wrong bucket or wrong credentials do not heal by themselves. */
const DEFAULT_RETRY_TIMEOUT_MS = 300_000;

function isTime(value: unknown): boolean {
  return value === null || value === '' || timeOf(String(value)) !== null;
}

/** Epoch milliseconds from digits or an ISO-8601 date-time; null when it is neither. */
export function timeOf(text: string): number | null {
  const trimmed = text.trim();
  if (/^-?\d+$/.test(trimmed)) return Number(trimmed);
  const parsed = Date.parse(trimmed);
  return Number.isNaN(parsed) ? null : parsed;
}

const timeValidator = {
  check: (value: unknown): string | null =>
    isTime(value)
      ? null
      : 'expected epoch milliseconds or an ISO-8601 date-time such as 2026-12-01T00:00:00Z',
};

export const s3SourceConfigDef: ConfigDef = {
  ...storeConfigDef,
  ...layoutConfigDef,
  ...formatConfigDef,
  [S3SourceKeys.TOPICS]: {
    type: 'list',
    importance: 'high',
    group,
    orderInGroup: 1,
    documentation: 'The topics to read back: the objects under <topics.dir>/<topic>/ that the S3 sink wrote.',
    validator: { nonEmpty: true },
  },
  [S3SourceKeys.TOPIC_REGEX]: {
    type: 'string',
    default: '(.*)',
    importance: 'medium',
    group,
    orderInGroup: 2,
    documentation:
      'A regular expression matched against the whole source topic name; with topic.regex.replacement it names the target topic.',
  },
  [S3SourceKeys.TOPIC_REPLACEMENT]: {
    type: 'string',
    default: '$1',
    importance: 'medium',
    group,
    orderInGroup: 3,
    documentation:
      'The target topic, with $1, $2 ... for the groups of topic.regex (e.g. restored-$1). The default keeps the name.',
  },
  [S3SourceKeys.RESTORE_PARTITIONS]: {
    type: 'boolean',
    default: true,
    importance: 'medium',
    group,
    orderInGroup: 4,
    documentation:
      'Write each record to the Kafka partition it came from (from the object name). The target topic needs at least as many partitions. false: the producer partitions by key.',
  },
  [S3SourceKeys.START_TIME]: {
    type: 'string',
    default: '',
    importance: 'medium',
    group,
    orderInGroup: 5,
    documentation:
      'Skip records with a timestamp before this (epoch ms or ISO-8601). Records without a timestamp are kept.',
    validator: timeValidator,
  },
  [S3SourceKeys.END_TIME]: {
    type: 'string',
    default: '',
    importance: 'medium',
    group,
    orderInGroup: 6,
    documentation:
      'Skip records with a timestamp at or after this (epoch ms or ISO-8601). Records without a timestamp are kept.',
    validator: timeValidator,
  },
  [S3SourceKeys.POLL_INTERVAL_MS]: {
    type: 'long',
    default: 10_000,
    importance: 'low',
    group,
    orderInGroup: 7,
    documentation:
      'When everything listed was read, list the bucket again after this long to find new objects.',
    validator: { min: 100 },
  },
  [S3SourceKeys.BATCH_MAX_RECORDS]: {
    type: 'int',
    default: 2_000,
    importance: 'low',
    group,
    orderInGroup: 8,
    documentation: 'Most records returned by one poll.',
    validator: { min: 1 },
  },
};

export interface S3SourceSettings {
  readonly store: ObjectStoreSettings;
  readonly layout: ObjectKeyLayout;
  readonly format: RecordFormat;
  readonly topics: readonly string[];
  readonly targetTopic: (topic: string) => string;
  readonly restorePartitions: boolean;
  readonly startTime: number | null;
  readonly endTime: number | null;
  readonly pollIntervalMs: number;
  readonly batchMaxRecords: number;
  readonly retryTimeoutMs: number;
}

export function s3SourceCrossKeyIssues(config: ConnectorConfig): ConfigIssue[] {
  const values = ConfigValues.parse(s3SourceConfigDef, config);
  const issues = formatIssues(values);
  try {
    new RegExp(`^(?:${values.string(S3SourceKeys.TOPIC_REGEX)})$`);
  } catch (error) {
    issues.push({ key: S3SourceKeys.TOPIC_REGEX, message: (error as Error).message });
  }
  const start = timeOf(values.string(S3SourceKeys.START_TIME));
  const end = timeOf(values.string(S3SourceKeys.END_TIME));
  if (start !== null && end !== null && end <= start)
    issues.push({ key: S3SourceKeys.END_TIME, message: 'end.time must be after start.time' });
  return issues;
}

export async function s3SourceSettings(config: ConnectorConfig): Promise<S3SourceSettings> {
  const values = ConfigValues.parse(s3SourceConfigDef, config);
  const issues = values.issues.length > 0 ? values.issues : s3SourceCrossKeyIssues(config);
  if (issues.length > 0) throw connectError(issues.map((i) => `${i.key}: ${i.message}`).join('\n'));
  const pattern = new RegExp(`^(?:${values.string(S3SourceKeys.TOPIC_REGEX)})$`);
  const replacement = values.string(S3SourceKeys.TOPIC_REPLACEMENT);
  return {
    store: objectStoreSettings(values),
    layout: objectKeyLayout(values),
    format: await recordFormat(values),
    topics: values.list(S3SourceKeys.TOPICS),
    targetTopic: (topic) => (pattern.test(topic) ? topic.replace(pattern, replacement) : topic),
    restorePartitions: values.boolean(S3SourceKeys.RESTORE_PARTITIONS),
    startTime: timeOf(values.string(S3SourceKeys.START_TIME)),
    endTime: timeOf(values.string(S3SourceKeys.END_TIME)),
    pollIntervalMs: values.number(S3SourceKeys.POLL_INTERVAL_MS),
    batchMaxRecords: values.number(S3SourceKeys.BATCH_MAX_RECORDS),
    retryTimeoutMs:
      config['errors.retry.timeout'] === undefined ? DEFAULT_RETRY_TIMEOUT_MS : sinkRetryTimeoutMs(config),
  };
}
