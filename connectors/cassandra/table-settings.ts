/**
 * The per-topic keys of the DataStax connector: `topic.<topic>.<keyspace>.<table>.<setting>` for each table a
 * topic feeds (several tables per topic allowed) and `topic.<topic>.codec.<setting>` for parsing strings.
 * Topic names may contain dots, so keys are read from the right.
 */
import type { ConfigIssue, ConnectorConfig } from '../../runtime/api/index.js';
import { MappingSyntaxError, parseMapping, type TableMapping } from './mapping.js';

export const CONSISTENCY_LEVELS = [
  'ANY',
  'ONE',
  'TWO',
  'THREE',
  'QUORUM',
  'ALL',
  'LOCAL_QUORUM',
  'EACH_QUORUM',
  'LOCAL_ONE',
] as const;
export type ConsistencyLevelName = (typeof CONSISTENCY_LEVELS)[number];

export const TIME_UNITS = [
  'NANOSECONDS',
  'MICROSECONDS',
  'MILLISECONDS',
  'SECONDS',
  'MINUTES',
  'HOURS',
  'DAYS',
] as const;
export type TimeUnitName = (typeof TIME_UNITS)[number];

/** Microseconds in one unit. */
export const MICROS_PER_UNIT: Readonly<Record<TimeUnitName, number>> = {
  NANOSECONDS: 0.001,
  MICROSECONDS: 1,
  MILLISECONDS: 1_000,
  SECONDS: 1_000_000,
  MINUTES: 60_000_000,
  HOURS: 3_600_000_000,
  DAYS: 86_400_000_000,
};

const TABLE_SETTINGS = [
  'mapping',
  'consistencyLevel',
  'ttl',
  'ttlTimeUnit',
  'timestampTimeUnit',
  'nullToUnset',
  'deletesEnabled',
  'query',
] as const;
const CODEC_SETTINGS = ['locale', 'timeZone', 'timestamp', 'date', 'time', 'unit'] as const;

export interface CodecSettings {
  readonly locale: string;
  readonly timeZone: string;
  /** CQL_TIMESTAMP (ISO-8601) or a pattern; Sluice reads ISO-8601 and epoch numbers. */
  readonly timestamp: string;
  readonly date: string;
  readonly time: string;
  /** Unit of numbers written to timestamp columns. */
  readonly unit: TimeUnitName;
}

export interface TableTarget {
  readonly topic: string;
  readonly keyspace: string;
  readonly table: string;
  /** `topic.<topic>.<ks>.<table>`, the prefix of this target's keys (used in error messages). */
  readonly prefix: string;
  readonly mapping: TableMapping;
  readonly consistencyLevel: ConsistencyLevelName;
  /** Seconds; -1 = no TTL. */
  readonly ttlSeconds: number;
  readonly ttlTimeUnit: TimeUnitName;
  readonly timestampTimeUnit: TimeUnitName;
  readonly nullToUnset: boolean;
  readonly deletesEnabled: boolean;
  readonly query: string | null;
  readonly codec: CodecSettings;
}

const DEFAULT_CODEC: CodecSettings = {
  locale: 'en_US',
  timeZone: 'UTC',
  timestamp: 'CQL_TIMESTAMP',
  date: 'ISO_LOCAL_DATE',
  time: 'ISO_LOCAL_TIME',
  unit: 'MILLISECONDS',
};

function identifier(raw: string): string {
  return /^".*"$/.test(raw) ? raw.slice(1, -1) : raw.toLowerCase();
}

interface Collected {
  tables: Map<string, { topic: string; keyspace: string; table: string; values: Map<string, string> }>;
  codecs: Map<string, Map<string, string>>;
  issues: ConfigIssue[];
}

function collect(config: ConnectorConfig): Collected {
  const collected: Collected = { tables: new Map(), codecs: new Map(), issues: [] };
  for (const [key, value] of Object.entries(config)) {
    if (!key.startsWith('topic.')) continue;
    const parts = key.slice('topic.'.length).split('.');
    const setting = parts.at(-1) ?? '';
    if (
      parts.length >= 3 &&
      parts.at(-2) === 'codec' &&
      (CODEC_SETTINGS as readonly string[]).includes(setting)
    ) {
      const topic = parts.slice(0, -2).join('.');
      const codec = collected.codecs.get(topic) ?? new Map<string, string>();
      codec.set(setting, value);
      collected.codecs.set(topic, codec);
      continue;
    }
    if (parts.length < 4 || !(TABLE_SETTINGS as readonly string[]).includes(setting)) {
      collected.issues.push({
        key,
        message: `unknown setting: expected topic.<topic>.<keyspace>.<table>.{${TABLE_SETTINGS.join(',')}} or topic.<topic>.codec.{${CODEC_SETTINGS.join(',')}}`,
      });
      continue;
    }
    const [keyspace, table] = [parts.at(-3)!, parts.at(-2)!];
    const topic = parts.slice(0, -3).join('.');
    const prefix = `topic.${topic}.${keyspace}.${table}`;
    const entry = collected.tables.get(prefix) ?? {
      topic,
      keyspace: identifier(keyspace),
      table: identifier(table),
      values: new Map<string, string>(),
    };
    entry.values.set(setting, value.trim());
    collected.tables.set(prefix, entry);
  }
  return collected;
}

function oneOf<T extends string>(
  allowed: readonly T[],
  value: string | undefined,
  fallback: T,
  key: string,
  issues: ConfigIssue[],
): T {
  if (value === undefined || value === '') return fallback;
  const found = allowed.find((a) => a === value.toUpperCase());
  if (found === undefined) issues.push({ key, message: `"${value}" is not one of ${allowed.join(', ')}` });
  return found ?? fallback;
}

function booleanOf(
  value: string | undefined,
  fallback: boolean,
  key: string,
  issues: ConfigIssue[],
): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
  issues.push({ key, message: `"${value}" is not true or false` });
  return fallback;
}

/** Every topic→table target of a config, and every problem with their keys (each issue names its key). */
export function tableTargets(config: ConnectorConfig): { targets: TableTarget[]; issues: ConfigIssue[] } {
  const { tables, codecs, issues } = collect(config);
  const topics = (config['topics'] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const targets: TableTarget[] = [];
  for (const [prefix, entry] of tables) {
    const v = entry.values;
    const mappingText = v.get('mapping');
    if (mappingText === undefined) {
      issues.push({ key: `${prefix}.mapping`, message: 'a mapping is required for every topic table' });
      continue;
    }
    let mapping: TableMapping;
    try {
      mapping = parseMapping(mappingText);
    } catch (error) {
      if (!(error instanceof MappingSyntaxError)) throw error;
      issues.push({ key: `${prefix}.mapping`, message: error.message });
      continue;
    }
    const ttlRaw = v.get('ttl');
    const ttl = ttlRaw === undefined || ttlRaw === '' ? -1 : Number(ttlRaw);
    if (!Number.isInteger(ttl) || ttl < -1)
      issues.push({
        key: `${prefix}.ttl`,
        message: `"${ttlRaw}" is not a whole number of ttlTimeUnit, or -1 for none`,
      });
    const ttlTimeUnit = oneOf(TIME_UNITS, v.get('ttlTimeUnit'), 'SECONDS', `${prefix}.ttlTimeUnit`, issues);
    const codecValues = codecs.get(entry.topic) ?? new Map<string, string>();
    targets.push({
      topic: entry.topic,
      keyspace: entry.keyspace,
      table: entry.table,
      prefix,
      mapping,
      consistencyLevel: oneOf(
        CONSISTENCY_LEVELS,
        v.get('consistencyLevel'),
        'LOCAL_ONE',
        `${prefix}.consistencyLevel`,
        issues,
      ),
      ttlSeconds: ttl <= 0 ? ttl : Math.round((ttl * MICROS_PER_UNIT[ttlTimeUnit]) / 1_000_000),
      ttlTimeUnit,
      timestampTimeUnit: oneOf(
        TIME_UNITS,
        v.get('timestampTimeUnit'),
        'MICROSECONDS',
        `${prefix}.timestampTimeUnit`,
        issues,
      ),
      nullToUnset: booleanOf(v.get('nullToUnset'), true, `${prefix}.nullToUnset`, issues),
      deletesEnabled: booleanOf(v.get('deletesEnabled'), true, `${prefix}.deletesEnabled`, issues),
      query: v.get('query') || null,
      codec: {
        locale: codecValues.get('locale') ?? DEFAULT_CODEC.locale,
        timeZone: codecValues.get('timeZone') ?? DEFAULT_CODEC.timeZone,
        timestamp: codecValues.get('timestamp') ?? DEFAULT_CODEC.timestamp,
        date: codecValues.get('date') ?? DEFAULT_CODEC.date,
        time: codecValues.get('time') ?? DEFAULT_CODEC.time,
        unit: oneOf(
          TIME_UNITS,
          codecValues.get('unit'),
          DEFAULT_CODEC.unit,
          `topic.${entry.topic}.codec.unit`,
          issues,
        ),
      },
    });
  }
  for (const target of targets)
    if (topics.length > 0 && !topics.includes(target.topic))
      issues.push({
        key: `${target.prefix}.mapping`,
        message: `topic ${target.topic} is not in topics (${topics.join(',')})`,
      });
  for (const topic of topics)
    if (!targets.some((t) => t.topic === topic) && !issues.some((i) => i.key.startsWith(`topic.${topic}.`)))
      issues.push({
        key: 'topics',
        message: `topic ${topic} has no table: add topic.${topic}.<keyspace>.<table>.mapping`,
      });
  return { targets, issues };
}
