import type { ConfigKeyDefinition } from './rest-types.js';

/** Shown instead of a secret. */
export const MASK = '••••••';

// Anywhere in the name (`aws.secret.access.key`, `ssl.key.password`): showing too little beats leaking.
const SECRET_NAME = /(password|passwd|secret|credential|token|private\.key|jaas\.config)/i;
const PLACEHOLDER = /^\$\{[^}]+\}$/;

/**
 * The value to show for a configuration key. A PASSWORD key of the plugin's definition, or a key named like
 * a secret, is masked, unless its value is an unresolved `${provider:path:key}` placeholder: that names where
 * the secret lives, not the secret.
 */
export function displayedValue(
  key: string,
  value: string,
  definitions: ReadonlyMap<string, ConfigKeyDefinition>,
): string {
  if (PLACEHOLDER.test(value)) return value;
  const secret = definitions.get(key)?.type === 'PASSWORD' || SECRET_NAME.test(key);
  return secret && value !== '' ? MASK : value;
}
