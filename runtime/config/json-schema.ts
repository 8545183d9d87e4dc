import type { ConfigDef, ConfigKey } from '../api/config-def.js';
import { configValueToString } from './config-key-info.js';

/**
 * A ConfigDef as a JSON Schema (draft-07, standard keywords only, so ajv strict mode accepts it).
 * Every value in a REST body or properties file is a string, so each property is `type: string`
 * with a `pattern` carrying what a pattern can say (number syntax, boolean, case-insensitive enums).
 * Ranges and custom checks cannot be expressed on strings; ConfigValues enforces them.
 * Because every property is its own schema, an ajv error's `instancePath` names the key.
 */

export interface JsonSchemaProperty {
  readonly type: 'string';
  readonly description: string;
  readonly title?: string;
  readonly default?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly allOf?: readonly { readonly pattern: string }[];
}

export interface ConfigJsonSchema {
  readonly $schema: 'http://json-schema.org/draft-07/schema#';
  readonly type: 'object';
  readonly properties: Readonly<Record<string, JsonSchemaProperty>>;
  readonly required: readonly string[];
  readonly additionalProperties: boolean | { readonly type: 'string' };
}

export interface ConfigJsonSchemaOptions {
  /** Whether keys the definition does not know are allowed (their values must still be strings). */
  readonly additionalProperties: boolean;
  /** Whether keys without a default are listed as `required` (default true). */
  readonly requireKeysWithoutDefault?: boolean;
}

const WS = '\\s*';

/** A regex source matching `word` in any letter case, since JS patterns have no inline (?i) flag. */
function caseInsensitive(word: string): string {
  return [...word]
    .map((c) => {
      const lower = c.toLowerCase();
      const upper = c.toUpperCase();
      if (lower !== upper) return `[${lower}${upper}]`;
      return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    })
    .join('');
}

function typePattern(key: ConfigKey): string | null {
  switch (key.type) {
    case 'short':
    case 'int':
    case 'long':
      return `^${WS}[-+]?\\d+${WS}$`;
    case 'double':
      return `^${WS}[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?${WS}$`;
    case 'boolean':
      return `^${WS}(${caseInsensitive('true')}|${caseInsensitive('false')})${WS}$`;
    default:
      return null;
  }
}

function enumPattern(key: ConfigKey): string | null {
  const options = key.validator?.oneOf;
  if (options === undefined || options.length === 0) return null;
  const alternatives = options.map(caseInsensitive).join('|');
  // A list key takes a comma separated list of the allowed values.
  return key.type === 'list'
    ? `^${WS}((${alternatives})${WS}(,${WS}(${alternatives})${WS})*)?$`
    : `^${WS}(${alternatives})${WS}$`;
}

function propertySchema(key: ConfigKey): JsonSchemaProperty {
  const patterns = [typePattern(key), enumPattern(key), key.validator?.pattern ?? null].filter(
    (p): p is string => p !== null,
  );
  const defaultValue = key.default === undefined ? null : configValueToString(key.default, key.type);
  return {
    type: 'string',
    description: key.documentation,
    ...(key.displayName !== undefined ? { title: key.displayName } : {}),
    ...(defaultValue !== null && key.type !== 'password' ? { default: defaultValue } : {}),
    ...(key.validator?.nonEmpty ? { minLength: 1 } : {}),
    ...(patterns.length === 1 ? { pattern: patterns[0]! } : {}),
    ...(patterns.length > 1 ? { allOf: patterns.map((pattern) => ({ pattern })) } : {}),
  };
}

export function configDefToJsonSchema(def: ConfigDef, options: ConfigJsonSchemaOptions): ConfigJsonSchema {
  const properties: Record<string, JsonSchemaProperty> = {};
  const required: string[] = [];
  for (const [name, key] of Object.entries(def)) {
    properties[name] = propertySchema(key);
    if (key.default === undefined && options.requireKeysWithoutDefault !== false) required.push(name);
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties,
    required,
    additionalProperties: options.additionalProperties ? { type: 'string' } : false,
  };
}
