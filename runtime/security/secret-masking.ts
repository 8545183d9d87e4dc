import { SECRET_SECURITY_KEYS } from '../kafka/security-config.js';

/** What a secret value reads as in REST answers; sent back unchanged, it keeps the stored value. */
export const HIDDEN = '[hidden]';

/**
 * Keys whose values are secrets: a last name segment holding password, secret or token, a key ending
 * in `.key` (ssl.keystore.key, but not key.converter), and the Kafka client's secret keys.
 */
export function isSecretKey(key: string): boolean {
  const bare = key.replace(/^(producer|consumer|admin)\.override\./, '');
  if (SECRET_SECURITY_KEYS.has(bare)) return true;
  const last = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return /password|secret|token/.test(last) || /(^|\.)key$/i.test(key);
}

/** A value that only refers to a secret (`${file:/path:key}`) reveals nothing and stays readable. */
function isReference(value: string): boolean {
  return /^\s*\$\{[^}]+\}\s*$/.test(value);
}

export function maskConfig(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) =>
      typeof value === 'string' && value !== '' && isSecretKey(key) && !isReference(value)
        ? [key, HIDDEN]
        : [key, value],
    ),
  );
}

/** A submitted config with every `[hidden]` secret replaced by the value stored for that key. */
export function unmaskConfig(
  submitted: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, string>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(submitted).map(([key, value]) =>
      value === HIDDEN && isSecretKey(key) && stored[key] !== undefined ? [key, stored[key]] : [key, value],
    ),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A REST answer with its secrets hidden, whatever its shape: connector infos and task lists (`config`
 * objects) and validate answers (`{definition, value}` pairs, also hiding PASSWORD-typed keys).
 */
export function maskAnswer(payload: unknown): unknown {
  if (Array.isArray(payload)) return payload.map(maskAnswer);
  if (!isRecord(payload)) return payload;
  const definition = payload['definition'];
  const value = payload['value'];
  if (isRecord(definition) && isRecord(value) && typeof value['value'] === 'string') {
    const name = String(definition['name'] ?? '');
    const secret = definition['type'] === 'PASSWORD' || isSecretKey(name);
    if (secret && value['value'] !== '' && !isReference(value['value']))
      return { ...payload, value: { ...value, value: HIDDEN } };
    return payload;
  }
  return Object.fromEntries(
    Object.entries(payload).map(([key, inner]) => [
      key,
      key === 'config' && isRecord(inner) ? maskConfig(inner) : maskAnswer(inner),
    ]),
  );
}
