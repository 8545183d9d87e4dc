/** Keys whose values a diff on a terminal must not show (Connect's PASSWORD-type keys, by name). */
const SECRET_KEY = /password|secret|jaas\.config|\.key$/i;

const shown = (key: string, value: string): string => (SECRET_KEY.test(key) ? '********' : value);

/**
 * What `apply` would change, one line per key as `+ added`, `- removed`, `~ key: old -> new`, sorted by
 * key; empty when the configs are equal, which is what makes `apply` idempotent.
 */
export function configDiff(
  current: Readonly<Record<string, string>> | null,
  desired: Readonly<Record<string, string>>,
): string[] {
  const before = current ?? {};
  const keys = [...new Set([...Object.keys(before), ...Object.keys(desired)])].sort();
  const lines: string[] = [];
  for (const key of keys) {
    const was = before[key];
    const will = desired[key];
    if (was === will) continue;
    if (was === undefined) lines.push(`+ ${key}=${shown(key, will!)}`);
    else if (will === undefined) lines.push(`- ${key}=${shown(key, was)}`);
    else lines.push(`~ ${key}: ${shown(key, was)} -> ${shown(key, will)}`);
  }
  return lines;
}
