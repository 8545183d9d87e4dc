import type { ConfigDef, ConfigIssue, ConfigValues } from '../../../runtime/api/index.js';
import {
  DefaultPartitioner,
  FieldPartitioner,
  TimeBasedPartitioner,
  type Partitioner,
  type TimestampExtractor,
} from '../layout/partitioner.js';
import { JodaPathFormat } from '../layout/joda-path-format.js';
import { recordFieldTimestamp, recordTimestamp, wallclockTimestamp } from '../layout/timestamp-extractors.js';

export const PartitionerKeys = {
  PARTITIONER_CLASS: 'partitioner.class',
  FIELD_NAME: 'partition.field.name',
  PATH_FORMAT: 'path.format',
  DURATION_MS: 'partition.duration.ms',
  LOCALE: 'locale',
  TIMEZONE: 'timezone',
  TIMESTAMP_EXTRACTOR: 'timestamp.extractor',
  TIMESTAMP_FIELD: 'timestamp.field',
} as const;

type PartitionerName = 'default' | 'field' | 'time' | 'hourly' | 'daily';

const PACKAGE = 'io.confluent.connect.storage.partitioner.';
const PARTITIONERS: Readonly<Record<string, PartitionerName>> = {
  DefaultPartitioner: 'default',
  FieldPartitioner: 'field',
  TimeBasedPartitioner: 'time',
  HourlyPartitioner: 'hourly',
  DailyPartitioner: 'daily',
};

/** Hourly and Daily are TimeBased with these settings, as in Confluent's storage-common. */
const SHORTCUTS = {
  hourly: { pathFormat: "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH", durationMs: 3_600_000 },
  daily: { pathFormat: "'year'=YYYY/'month'=MM/'day'=dd", durationMs: 86_400_000 },
} as const;

const EXTRACTORS = ['Record', 'RecordField', 'Wallclock'] as const;

function partitionerName(className: string): PartitionerName | undefined {
  const short = className.startsWith(PACKAGE) ? className.slice(PACKAGE.length) : className;
  return PARTITIONERS[short];
}

const group = 'Partitioner';

export const partitionerConfigDef: ConfigDef = {
  [PartitionerKeys.PARTITIONER_CLASS]: {
    type: 'class',
    default: `${PACKAGE}DefaultPartitioner`,
    importance: 'high',
    group,
    orderInGroup: 1,
    documentation: `The directories under <topics.dir>/<topic>: ${Object.keys(PARTITIONERS)
      .map((n) => PACKAGE + n)
      .join(', ')} (short names work too).`,
    validator: {
      check: (value) =>
        typeof value === 'string' && partitionerName(value) === undefined
          ? `unknown partitioner ${value}; use one of ${Object.keys(PARTITIONERS).join(', ')}`
          : null,
    },
  },
  [PartitionerKeys.FIELD_NAME]: {
    type: 'list',
    default: '',
    importance: 'medium',
    group,
    orderInGroup: 2,
    documentation: 'FieldPartitioner: the value fields whose values name the directories (<field>=<value>).',
  },
  [PartitionerKeys.PATH_FORMAT]: {
    type: 'string',
    default: '',
    importance: 'medium',
    group,
    orderInGroup: 3,
    documentation:
      "TimeBasedPartitioner: a Joda-Time pattern for the directories, e.g. 'year'=YYYY/'month'=MM/'day'=dd.",
  },
  [PartitionerKeys.DURATION_MS]: {
    type: 'long',
    default: -1,
    importance: 'medium',
    group,
    orderInGroup: 4,
    documentation: 'TimeBasedPartitioner: the time a directory covers; timestamps are rounded down to it.',
  },
  [PartitionerKeys.LOCALE]: {
    type: 'string',
    default: '',
    importance: 'low',
    group,
    orderInGroup: 5,
    documentation:
      'TimeBasedPartitioner: the locale of the path format (accepted for compatibility; the supported pattern letters are all numeric).',
  },
  [PartitionerKeys.TIMEZONE]: {
    type: 'string',
    default: '',
    importance: 'medium',
    group,
    orderInGroup: 6,
    documentation: 'TimeBasedPartitioner: the time zone of the directories (e.g. UTC, Europe/Berlin).',
  },
  [PartitionerKeys.TIMESTAMP_EXTRACTOR]: {
    type: 'string',
    default: 'Wallclock',
    importance: 'medium',
    group,
    orderInGroup: 7,
    documentation:
      "Which time partitions and rotates: Record (the Kafka timestamp), RecordField (timestamp.field of the value) or Wallclock (the sink's clock; object names then depend on when the sink ran, which is not exactly once).",
    validator: { oneOf: EXTRACTORS },
  },
  [PartitionerKeys.TIMESTAMP_FIELD]: {
    type: 'string',
    default: 'timestamp',
    importance: 'low',
    group,
    orderInGroup: 8,
    documentation:
      'RecordField: the value field with the time (epoch ms, a Timestamp or an ISO-8601 string); dots reach into nested structs.',
  },
};

export function partitionerIssues(values: ConfigValues): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const name = partitionerName(values.string(PartitionerKeys.PARTITIONER_CLASS));
  if (name === 'field' && values.list(PartitionerKeys.FIELD_NAME).length === 0)
    issues.push({ key: PartitionerKeys.FIELD_NAME, message: 'FieldPartitioner needs partition.field.name' });
  if (name === 'time' || name === 'hourly' || name === 'daily') {
    const zone = values.string(PartitionerKeys.TIMEZONE);
    if (zone === '')
      issues.push({
        key: PartitionerKeys.TIMEZONE,
        message: `${name === 'time' ? 'TimeBasedPartitioner' : 'a time-based partitioner'} needs timezone (e.g. UTC)`,
      });
    if (name === 'time') {
      if (values.number(PartitionerKeys.DURATION_MS) <= 0)
        issues.push({
          key: PartitionerKeys.DURATION_MS,
          message:
            'TimeBasedPartitioner needs partition.duration.ms > 0 (e.g. 3600000 for hourly directories)',
        });
      if (values.string(PartitionerKeys.PATH_FORMAT) === '')
        issues.push({
          key: PartitionerKeys.PATH_FORMAT,
          message: "TimeBasedPartitioner needs path.format (e.g. 'year'=YYYY/'month'=MM/'day'=dd)",
        });
    }
    try {
      const pattern =
        name === 'time' ? values.string(PartitionerKeys.PATH_FORMAT) : SHORTCUTS[name].pathFormat;
      if (zone !== '' && pattern !== '') new JodaPathFormat(pattern, zone);
    } catch (error) {
      const key = error instanceof RangeError ? PartitionerKeys.TIMEZONE : PartitionerKeys.PATH_FORMAT;
      issues.push({ key, message: (error as Error).message });
    }
  }
  return issues;
}

/** The configured timestamp extractor (used for time-based directories and for rotate.interval.ms). */
export function timestampExtractor(values: ConfigValues): TimestampExtractor {
  switch (values.string(PartitionerKeys.TIMESTAMP_EXTRACTOR)) {
    case 'Record':
      return recordTimestamp;
    case 'RecordField':
      return recordFieldTimestamp(values.string(PartitionerKeys.TIMESTAMP_FIELD));
    default:
      return wallclockTimestamp;
  }
}

export function partitioner(values: ConfigValues, directoryDelim: string): Partitioner {
  const name = partitionerName(values.string(PartitionerKeys.PARTITIONER_CLASS)) ?? 'default';
  switch (name) {
    case 'default':
      return new DefaultPartitioner();
    case 'field':
      return new FieldPartitioner(values.list(PartitionerKeys.FIELD_NAME), directoryDelim);
    case 'time':
      return new TimeBasedPartitioner(
        values.string(PartitionerKeys.PATH_FORMAT),
        values.number(PartitionerKeys.DURATION_MS),
        values.string(PartitionerKeys.TIMEZONE),
        timestampExtractor(values),
      );
    case 'hourly':
    case 'daily':
      return new TimeBasedPartitioner(
        SHORTCUTS[name].pathFormat,
        SHORTCUTS[name].durationMs,
        values.string(PartitionerKeys.TIMEZONE),
        timestampExtractor(values),
      );
  }
}
