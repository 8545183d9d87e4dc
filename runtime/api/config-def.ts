/** Connect's ConfigDef: the keys a plugin accepts. It is also the source of the plugin's JSON Schema. */
export type ConfigType =
  'string' | 'short' | 'int' | 'long' | 'double' | 'boolean' | 'list' | 'password' | 'class';
export type Importance = 'high' | 'medium' | 'low';
export type ConfigDefault = string | number | boolean | readonly string[] | null;

export interface ConfigValidator {
  readonly min?: number;
  readonly max?: number;
  /** Allowed values (case-insensitive for strings, like Connect's CaseInsensitiveValidString). */
  readonly oneOf?: readonly string[];
  readonly nonEmpty?: boolean;
  /** Regular expression the (string) value must match. */
  readonly pattern?: string;
  /** Extra check on the parsed value; returns a message saying what is wrong, or null. */
  readonly check?: (value: ParsedConfigValue) => string | null;
}

export interface ConfigKey {
  readonly type: ConfigType;
  /** Absent means the key is required. */
  readonly default?: ConfigDefault;
  readonly importance: Importance;
  readonly documentation: string;
  readonly group?: string;
  readonly orderInGroup?: number;
  readonly width?: 'none' | 'short' | 'medium' | 'long';
  readonly displayName?: string;
  readonly dependents?: readonly string[];
  readonly validator?: ConfigValidator;
}

export type ConfigDef = Readonly<Record<string, ConfigKey>>;

export type ParsedConfigValue = string | number | boolean | readonly string[] | null;

/** A problem with one key, reported by validation (REST 400s and /validate name the key). */
export interface ConfigIssue {
  readonly key: string;
  readonly message: string;
}
