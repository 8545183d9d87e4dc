import { SluiceError, type JsonObject } from '../../../runtime/api/index.js';
import { s3SourceSettings, S3SourceKeys, type S3SourceSettings } from '../source/source-config.js';
import { parseTime } from '../source/time-window.js';

/** `replay`'s own keys; the others are the S3 source's (bucket, store.url, credentials, layout, format). */
export const ReplayKeys = {
  TOPIC: 'topic',
  FROM: 'from',
  TO: 'to',
  TARGET_TOPIC: 'target.topic',
  BATCH_RECORDS: 'batch.max.records',
  MAX_RECORDS_PER_SECOND: 'max.records.per.second',
} as const;

/** The JSON Schema POST /jobs checks a replay config against before anything connects. */
export const replayConfigSchema: JsonObject = {
  type: 'object',
  required: ['s3.bucket.name', ReplayKeys.TOPIC, ReplayKeys.FROM, ReplayKeys.TO],
  properties: {
    's3.bucket.name': { type: 'string', minLength: 1 },
    [ReplayKeys.TOPIC]: { type: 'string', pattern: '^[a-zA-Z0-9._-]+$' },
    [ReplayKeys.FROM]: { type: 'string', minLength: 1 },
    [ReplayKeys.TO]: { type: 'string', minLength: 1 },
    [ReplayKeys.TARGET_TOPIC]: { type: 'string', pattern: '^[a-zA-Z0-9._-]+$' },
    [ReplayKeys.BATCH_RECORDS]: { type: 'string', pattern: '^\\s*[1-9][0-9]*\\s*$' },
    [ReplayKeys.MAX_RECORDS_PER_SECOND]: { type: 'string', pattern: '^\\s*[0-9]+\\s*$' },
  },
  additionalProperties: { type: 'string' },
};

export interface ReplaySettings {
  /** The S3 source's settings for the one topic, its time window being [from, to). */
  readonly source: S3SourceSettings;
  readonly topic: string;
  readonly targetTopic: string;
  readonly from: number;
  readonly to: number;
  /** Per unit; 0: as fast as S3 and Kafka go. */
  readonly maxRecordsPerSecond: number;
}

const invalid = (message: string): SluiceError => new SluiceError('JOB_CONFIG_INVALID', ['replay', message]);

function timeOf(config: Readonly<Record<string, string>>, key: string): number {
  const text = config[key] ?? '';
  const ms = parseTime(text);
  if (ms === null)
    throw invalid(`'${key}' ${text} is neither ISO-8601 (2026-01-31T12:00:00Z) nor epoch milliseconds`);
  return ms;
}

/**
 * Reads a replay config through the S3 source's own config (so the keys, defaults and checks are the
 * source's): `topic` becomes `topics`, [`from`, `to`) its `start.time` and `end.time`.
 */
export async function replaySettings(config: Readonly<Record<string, string>>): Promise<ReplaySettings> {
  const topic = (config[ReplayKeys.TOPIC] ?? '').trim();
  const from = timeOf(config, ReplayKeys.FROM);
  const to = timeOf(config, ReplayKeys.TO);
  if (to <= from)
    throw invalid(
      `the time range is empty: 'to' ${new Date(to).toISOString()} is not after 'from' ${new Date(from).toISOString()}`,
    );
  const sourceConfig: Record<string, string> = { ...config, [S3SourceKeys.TOPICS]: topic };
  delete sourceConfig[S3SourceKeys.TOPIC_REGEX];
  delete sourceConfig[S3SourceKeys.TOPIC_REPLACEMENT];
  sourceConfig[S3SourceKeys.START_TIME] = String(from);
  sourceConfig[S3SourceKeys.END_TIME] = String(to);
  let source: S3SourceSettings;
  try {
    source = await s3SourceSettings(sourceConfig);
  } catch (error) {
    throw invalid((error as Error).message.replace(/start\.time/g, 'from').replace(/end\.time/g, 'to'));
  }
  return {
    source,
    topic,
    targetTopic: (config[ReplayKeys.TARGET_TOPIC] ?? topic).trim(),
    from,
    to,
    maxRecordsPerSecond: Number(config[ReplayKeys.MAX_RECORDS_PER_SECOND] ?? 0),
  };
}
