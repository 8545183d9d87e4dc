import type { ConfigDef, ConfigKey } from '../api/config-def.js';
import { ConfigValues } from '../api/config-values.js';
import { SluiceError } from '../errors/sluice-error.js';

/** Connect's ConverterConfig `converter.type`: set by the runtime, never by users. */
export const CONVERTER_TYPE_KEY: ConfigKey = {
  type: 'string',
  default: null,
  importance: 'low',
  documentation: 'How this converter will be used.',
  validator: { oneOf: ['key', 'value', 'header'] },
};

/** Parses already-prefix-stripped converter properties; the first problem becomes a CONFIG_INVALID_VALUE error. */
export function parseConverterConfig(def: ConfigDef, raw: Readonly<Record<string, string>>): ConfigValues {
  const parsed = ConfigValues.parse(def, raw);
  const issue = parsed.issues[0];
  if (issue !== undefined) {
    const marker = `for configuration ${issue.key}: `;
    const at = issue.message.indexOf(marker);
    const reason = at < 0 ? issue.message : issue.message.slice(at + marker.length);
    throw new SluiceError('CONFIG_INVALID_VALUE', [raw[issue.key] ?? '', issue.key, reason]);
  }
  return parsed;
}
