import type { ConfigIssue } from '../api/config-def.js';
import { SluiceError } from '../errors/sluice-error.js';

export const ISOLATION_LEVELS = ['read_committed', 'read_uncommitted'] as const;
export type IsolationLevel = (typeof ISOLATION_LEVELS)[number];

/**
 * The consumer's `isolation.level` (the worker's `consumer.*` with the connector's `consumer.override.*`
 * laid over it). Sluice's sink consumers read committed by default — unlike the Java consumer's
 * read_uncommitted — so a sink never writes records of a transaction that was aborted (issue 20).
 */
export function isolationLevelOf(overrides: Readonly<Record<string, string>> = {}): IsolationLevel {
  const raw = overrides['isolation.level'];
  if (raw === undefined) return 'read_committed';
  const level = raw.trim().toLowerCase();
  if ((ISOLATION_LEVELS as readonly string[]).includes(level)) return level as IsolationLevel;
  throw new SluiceError('CONFIG_INVALID_VALUE', [
    raw,
    'consumer.[override.]isolation.level',
    `String must be one of: ${ISOLATION_LEVELS.join(', ')}`,
  ]);
}

/** A connector's `consumer.override.isolation.level` checked when it is validated or created. */
export function isolationLevelIssues(connectorConfig: Readonly<Record<string, string>>): ConfigIssue[] {
  const key = 'consumer.override.isolation.level';
  const raw = connectorConfig[key];
  if (raw === undefined || (ISOLATION_LEVELS as readonly string[]).includes(raw.trim().toLowerCase()))
    return [];
  return [
    {
      key,
      message: `Invalid value ${raw} for configuration ${key}: String must be one of: ${ISOLATION_LEVELS.join(', ')}`,
    },
  ];
}
