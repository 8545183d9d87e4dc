import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import {
  LogicalTypeNames,
  SCHEMA_TYPES,
  SchemaBuilder,
  type Schema,
  type SchemaType,
} from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { Transformation } from '../api/transformation.js';
import {
  CAST_TARGETS,
  castValue,
  unsupportedCastTargetMessage,
  type CastTarget,
} from './support/cast-value.js';
import { keyValuePlugins } from './support/plugin-descriptors.js';
import type { RecordSide } from './support/record-side.js';
import { requireMap, requireStruct } from './support/requirements.js';
import { copySchemaBasics, fieldValue, SchemaCache } from './support/schema-util.js';
import {
  parseTransformConfig,
  REPLACE_NULL_WITH_DEFAULT,
  replaceNullWithDefaultKey,
} from './support/transform-config.js';

const PURPOSE = 'cast types';

interface CastSpec {
  /** Set when the spec is a single type: the whole key/value is cast. */
  readonly wholeValue: CastTarget | null;
  readonly fields: ReadonlyMap<string, CastTarget>;
}

function targetOf(typeName: string): CastTarget {
  const type = typeName.trim().toLowerCase();
  if (!(SCHEMA_TYPES as readonly string[]).includes(type))
    throw new Error(`Invalid type found in casting spec: ${typeName.trim()}`);
  if (!CAST_TARGETS.includes(type as CastTarget)) throw new Error(unsupportedCastTargetMessage(type));
  return type as CastTarget;
}

/** Parses `field:type,...` or a single `type`; throws an Error saying what is wrong. */
export function parseCastSpec(mappings: readonly string[]): CastSpec {
  if (mappings.length === 0) throw new Error('Must specify at least one field to cast.');
  let wholeValue: CastTarget | null = null;
  const fields = new Map<string, CastTarget>();
  for (const mapping of mappings) {
    const parts = mapping.split(':');
    if (parts.length > 2) throw new Error(`Invalid rename mapping: ${mapping}`);
    if (parts.length === 1) wholeValue = targetOf(parts[0]!);
    else fields.set(parts[0]!.trim(), targetOf(parts[1]!));
  }
  if (wholeValue !== null && mappings.length > 1) {
    throw new Error(
      'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec',
    );
  }
  return { wholeValue, fields };
}

function castSpecProblem(value: unknown): string | null {
  try {
    parseCastSpec(Array.isArray(value) ? (value as string[]) : []);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export const castConfigDef: ConfigDef = {
  spec: {
    type: 'list',
    importance: 'high',
    documentation:
      'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. ' +
      'Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.',
    validator: { check: castSpecProblem },
  },
  [REPLACE_NULL_WITH_DEFAULT]: replaceNullWithDefaultKey,
};

function isLogical(schema: Schema): boolean {
  return Object.values(LogicalTypeNames).some((name) => name === schema.name);
}

function builderFor(type: SchemaType): SchemaBuilder {
  return new SchemaBuilder(type);
}

/** Casts fields, or the whole key/value, to another primitive type. */
export class Cast implements Transformation {
  private spec: CastSpec = { wholeValue: null, fields: new Map() };
  private replaceNullWithDefault = true;
  private readonly schemaCache = new SchemaCache();

  constructor(private readonly side: RecordSide) {}

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(castConfigDef, raw);
    this.spec = parseCastSpec(config.list('spec'));
    this.replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    const whole = this.spec.wholeValue;
    if (schema === null) {
      if (whole !== null) return this.side.update(record, null, castValue(null, value, whole));
      const map = requireMap(value, PURPOSE);
      const updated = { ...map };
      for (const [name, target] of this.spec.fields) updated[name] = castValue(null, map[name], target);
      return this.side.update(record, null, updated);
    }
    const updatedSchema = this.schemaCache.getOrCompute(schema, (s) => this.updatedSchema(s));
    if (whole !== null) return this.side.update(record, updatedSchema, castValue(schema, value, whole));
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields ?? []) {
      const original = fieldValue(struct, field.name, this.replaceNullWithDefault);
      const target = this.spec.fields.get(field.name);
      updated.put(field.name, target === undefined ? original : castValue(field.schema, original, target));
    }
    return this.side.update(record, updatedSchema, updated);
  }

  private updatedSchema(schema: Schema): Schema {
    const whole = this.spec.wholeValue;
    // A logical name (Timestamp, Decimal, …) would no longer describe the cast value, so it is not carried over.
    const basics =
      whole !== null && isLogical(schema)
        ? { ...schema, name: undefined, version: undefined, parameters: undefined }
        : schema;
    const builder = copySchemaBasics(basics, whole !== null ? builderFor(whole) : SchemaBuilder.struct());
    if (whole === null) {
      for (const field of schema.fields ?? []) {
        const target = this.spec.fields.get(field.name);
        if (target === undefined) {
          builder.field(field.name, field.schema);
          continue;
        }
        const fieldBuilder = builderFor(target);
        if (field.schema.optional) fieldBuilder.optional();
        if (field.schema.defaultValue !== undefined && field.schema.defaultValue !== null) {
          fieldBuilder.defaultValue(castValue(field.schema, field.schema.defaultValue, target));
        }
        builder.field(field.name, fieldBuilder.build());
      }
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue !== undefined && schema.defaultValue !== null && whole !== null) {
      builder.defaultValue(castValue(schema, schema.defaultValue, whole));
    }
    return builder.build();
  }
}

export const [castKeyPlugin, castValuePlugin] = keyValuePlugins(
  'Cast',
  castConfigDef,
  (side) => new Cast(side),
);
