import type { ConfigDef } from '../api/config-def.js';
import { didYouMean } from './did-you-mean.js';
import { workerConfigDef, type WorkerMode } from './worker-config.js';

/**
 * Keys nobody reads are warned about, never refused: Kafka Connect accepts unknown keys (a newer
 * connector version may read them, and tooling adds its own), so refusing would break existing files.
 * A warning with the closest known key catches the typo (`bootstrap.server`) that would otherwise fall
 * back to a default without a word.
 */
export interface UnknownKey {
  readonly key: string;
  /** The known key it most likely meant, when one is close. */
  readonly suggestion: string | null;
}

/** Prefixes whose keys are passed on to something else (clients, converters, providers) and checked there. */
const WORKER_PASSTHROUGH_PREFIXES = [
  'producer.',
  'consumer.',
  'admin.',
  'key.converter.',
  'value.converter.',
  'header.converter.',
  'config.providers.',
  'listeners.',
  'ssl.',
  'sasl.',
  'sluice.',
  'metric.',
  'metrics.',
];

/** Worker keys read outside the worker ConfigDef (logging, the Kafka clients). */
const WORKER_EXTRA_KEYS = [
  'log.level',
  'log.format',
  'client.id',
  'security.protocol',
  'request.timeout.ms',
  'retry.backoff.ms',
  'connections.max.idle.ms',
  'metadata.max.age.ms',
];

/** Connector keys handed to a client, a converter or a predicate rather than to the connector. */
const CONNECTOR_PASSTHROUGH_PREFIXES = [
  'producer.override.',
  'consumer.override.',
  'admin.override.',
  'key.converter.',
  'value.converter.',
  'header.converter.',
  'transforms.',
  'predicates.',
  'topic.creation.',
];

function unknownKeys(
  keys: Iterable<string>,
  known: ReadonlySet<string>,
  prefixes: readonly string[],
): UnknownKey[] {
  const out: UnknownKey[] = [];
  for (const key of keys) {
    if (known.has(key) || prefixes.some((p) => key.startsWith(p))) continue;
    out.push({ key, suggestion: didYouMean(key, known) });
  }
  return out;
}

export function unknownWorkerKeys(raw: Readonly<Record<string, string>>, mode: WorkerMode): UnknownKey[] {
  const known = new Set([...Object.keys(workerConfigDef(mode)), ...WORKER_EXTRA_KEYS]);
  return unknownKeys(Object.keys(raw), known, WORKER_PASSTHROUGH_PREFIXES);
}

/**
 * Connector keys neither Connect's common keys nor the plugin define. `def` is the full definition
 * the config was validated against (common keys, alias blocks, the plugin's own keys).
 */
export function unknownConnectorKeys(
  config: Readonly<Record<string, unknown>>,
  def: ConfigDef,
  /** The plugin's own dynamic key prefixes (ConnectorPlugin.configPrefixes). */
  pluginPrefixes: readonly string[] = [],
): UnknownKey[] {
  const known = new Set(['name', ...Object.keys(def)]);
  return unknownKeys(Object.keys(config), known, [...CONNECTOR_PASSTHROUGH_PREFIXES, ...pluginPrefixes]);
}

/** The one wording used in logs and validate answers, so users learn to grep for it. */
export function unknownKeyMessage(u: UnknownKey, what: 'worker' | 'connector'): string {
  const hint = u.suggestion === null ? '' : `; did you mean '${u.suggestion}'?`;
  return `Unknown ${what} configuration '${u.key}' is ignored${hint}`;
}
