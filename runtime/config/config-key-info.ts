import type { ConfigDef, ConfigKey, ConfigType, ParsedConfigValue } from '../api/config-def.js';
import type { ConfigKeyInfo } from '../cluster/rest-types.js';

/** What Connect's Password.toString() prints, in validate responses and key defaults alike. */
export const HIDDEN_PASSWORD = '[hidden]';

/** Connect's ConfigDef.convertToString: lists joined by ',' without spaces, passwords hidden, null stays null. */
export function configValueToString(value: ParsedConfigValue | undefined, type: ConfigType): string | null {
  if (value === null || value === undefined) return null;
  if (type === 'password') return HIDDEN_PASSWORD;
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/** Connect's AbstractHerder.convertConfigKey: upper-case enums, `order` -1 and width NONE when unset. */
export function configKeyInfo(name: string, key: ConfigKey): ConfigKeyInfo {
  const required = key.default === undefined;
  return {
    name,
    type: key.type.toUpperCase(),
    required,
    default_value: required ? null : configValueToString(key.default, key.type),
    importance: key.importance.toUpperCase(),
    documentation: key.documentation,
    group: key.group ?? null,
    order_in_group: key.orderInGroup ?? -1,
    width: (key.width ?? 'none').toUpperCase(),
    display_name: key.displayName ?? name,
    dependents: [...(key.dependents ?? [])],
  };
}

/** The body of GET /connector-plugins/{plugin}/config: one entry per key, in definition order. */
export function configKeyInfos(def: ConfigDef): ConfigKeyInfo[] {
  return Object.entries(def).map(([name, key]) => configKeyInfo(name, key));
}
