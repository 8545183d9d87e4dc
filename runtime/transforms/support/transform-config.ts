import type { ConfigDef, ConfigKey } from '../../api/config-def.js';
import { ConfigValues } from '../../api/config-values.js';
import { SluiceError } from '../../errors/sluice-error.js';

/** Parses a transform's options; throws one SluiceError listing every problem, each naming its key. */
export function parseTransformConfig(def: ConfigDef, raw: Readonly<Record<string, string>>): ConfigValues {
  const parsed = ConfigValues.parse(def, raw);
  if (parsed.issues.length > 0)
    throw new SluiceError('CONFIG_INVALID', [parsed.issues.map((i) => i.message).join('\n')]);
  return parsed;
}

export const REPLACE_NULL_WITH_DEFAULT = 'replace.null.with.default';

export const replaceNullWithDefaultKey: ConfigKey = {
  type: 'boolean',
  default: true,
  importance: 'medium',
  documentation:
    'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
};

/** Connect's NonEmptyListValidator. */
export function nonEmptyList(value: unknown): string | null {
  return Array.isArray(value) && value.length === 0 ? 'Empty list' : null;
}

/** Connect's ValidString (case-sensitive, unlike the ConfigDef `oneOf`). */
export function exactlyOneOf(allowed: readonly string[]): (value: unknown) => string | null {
  return (value) =>
    typeof value === 'string' && allowed.includes(value)
      ? null
      : `String must be one of: ${allowed.join(', ')}`;
}
