import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import { LogicalTypeNames, type Schema } from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { Transformation } from '../api/transformation.js';
import { dataError } from './support/errors.js';
import { keyValuePlugins } from './support/plugin-descriptors.js';
import type { RecordSide } from './support/record-side.js';
import { isPlainMap, requireMap, requireStruct, typeNameOf } from './support/requirements.js';
import { fieldValue } from './support/schema-util.js';
import {
  nonEmptyList,
  parseTransformConfig,
  REPLACE_NULL_WITH_DEFAULT,
  replaceNullWithDefaultKey,
} from './support/transform-config.js';

const PURPOSE = 'mask fields';

export const maskFieldConfigDef: ConfigDef = {
  fields: {
    type: 'list',
    importance: 'high',
    documentation: 'Names of fields to mask.',
    validator: { check: nonEmptyList },
  },
  replacement: {
    type: 'string',
    default: null,
    importance: 'low',
    documentation:
      "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
    validator: { nonEmpty: true },
  },
  [REPLACE_NULL_WITH_DEFAULT]: replaceNullWithDefaultKey,
};

/** The "empty" value of a value's type; the schema (when known) tells ints from floats and Decimals from strings. */
function maskWithNullValue(value: unknown, schema: Schema | null): unknown {
  if (schema?.name === LogicalTypeNames.DECIMAL) return '0';
  if (typeof value === 'boolean') return false;
  if (typeof value === 'number') return 0;
  if (typeof value === 'bigint') return 0n;
  if (typeof value === 'string') return '';
  if (value instanceof Date) return new Date(0);
  if (Array.isArray(value)) return [];
  if (value instanceof Map) return new Map();
  if (isPlainMap(value)) return {};
  throw dataError(`Cannot mask value of type: ${typeNameOf(value)}`);
}

function maskWithReplacement(value: unknown, replacement: string, schema: Schema | null): unknown {
  const numeric = () => {
    const n = Number(replacement);
    if (replacement.trim() === '' || Number.isNaN(n))
      throw dataError(`Unable to convert ${replacement} (String) to number`);
    return n;
  };
  if (schema?.name === LogicalTypeNames.DECIMAL) {
    numeric();
    return replacement.trim();
  }
  if (typeof value === 'string') return replacement;
  if (typeof value === 'bigint') {
    try {
      return BigInt(replacement.trim());
    } catch {
      throw dataError(`Unable to convert ${replacement} (String) to number`);
    }
  }
  if (typeof value === 'number') {
    const n = numeric();
    const integral =
      schema === null ? Number.isInteger(value) : ['int8', 'int16', 'int32', 'int64'].includes(schema.type);
    if (integral && !Number.isInteger(n))
      throw dataError(`Unable to convert ${replacement} (String) to number`);
    return n;
  }
  throw dataError(`Cannot mask value of type ${typeNameOf(value)} with custom replacement.`);
}

/** Replaces field values with their type's empty value, or with a configured replacement. */
export class MaskField implements Transformation {
  private fields = new Set<string>();
  private replacement: string | null = null;
  private replaceNullWithDefault = true;

  constructor(private readonly side: RecordSide) {}

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(maskFieldConfigDef, raw);
    this.fields = new Set(config.list('fields'));
    this.replacement = config.optionalString('replacement');
    this.replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT);
  }

  private masked(value: unknown, schema: Schema | null): unknown {
    if (value === null || value === undefined) return null;
    return this.replacement === null
      ? maskWithNullValue(value, schema)
      : maskWithReplacement(value, this.replacement, schema);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.side.value(record);
    const schema = this.side.schema(record);
    if (schema === null) {
      const map = requireMap(value, PURPOSE);
      const updated = { ...map };
      for (const name of this.fields) updated[name] = this.masked(map[name], null);
      return this.side.update(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(struct.schema);
    for (const field of struct.schema.fields ?? []) {
      const original = fieldValue(struct, field.name, this.replaceNullWithDefault);
      updated.put(field.name, this.fields.has(field.name) ? this.masked(original, field.schema) : original);
    }
    return this.side.update(record, schema, updated);
  }
}

export const [maskFieldKeyPlugin, maskFieldValuePlugin] = keyValuePlugins(
  'MaskField',
  maskFieldConfigDef,
  (side) => new MaskField(side),
);
