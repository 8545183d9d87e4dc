import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import { SCHEMA_TYPES, SchemaBuilder, type Schema, type SchemaType } from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { Transformation } from '../api/transformation.js';
import { dataError } from './support/errors.js';
import { keyValuePlugins } from './support/plugin-descriptors.js';
import type { RecordSide } from './support/record-side.js';
import {
  isPlainMap,
  requireMap,
  requireStructOrNull,
  typeNameOf,
  type PlainMap,
} from './support/requirements.js';
import { copySchemaBasics, SchemaCache } from './support/schema-util.js';
import { parseTransformConfig } from './support/transform-config.js';

const PURPOSE = 'flattening';
/** Field types a schema'd Flatten copies as they are; structs are flattened, maps refused (as in Connect). */
const PASSED_THROUGH_TYPES: ReadonlySet<SchemaType> = new Set(
  SCHEMA_TYPES.filter((type) => type !== 'map' && type !== 'struct'),
);

export const flattenConfigDef: ConfigDef = {
  delimiter: {
    type: 'string',
    default: '.',
    importance: 'medium',
    documentation:
      'Delimiter to insert between field names from the input record when generating field names for the output record',
  },
};

function isSchemalessLeaf(value: unknown): boolean {
  return (
    ['number', 'bigint', 'boolean', 'string'].includes(typeof value) ||
    value instanceof Uint8Array ||
    Array.isArray(value) ||
    value instanceof Date
  );
}

/** Lifts nested struct/map fields to the top level, joining names with the delimiter. Arrays are left as they are. */
export class Flatten implements Transformation {
  private delimiter = '.';
  private readonly schemaCache = new SchemaCache();

  constructor(private readonly side: RecordSide) {}

  configure(raw: Readonly<Record<string, string>>): void {
    this.delimiter = parseTransformConfig(flattenConfigDef, raw).string('delimiter');
  }

  private name(prefix: string, field: string): string {
    return prefix === '' ? field : prefix + this.delimiter + field;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    if (schema === null) {
      const flat: PlainMap = {};
      this.flattenMap(requireMap(value, PURPOSE), '', flat);
      return this.side.update(record, null, flat);
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.schemaCache.getOrCompute(schema, (s) => {
      const builder = copySchemaBasics(s, SchemaBuilder.struct());
      this.flattenSchema(s, '', builder, s.optional, (s.defaultValue as Struct | undefined) ?? null);
      return builder.build();
    });
    if (struct === null) return this.side.update(record, updatedSchema, null);
    const flat = new Struct(updatedSchema);
    this.flattenStruct(struct, '', flat);
    return this.side.update(record, updatedSchema, flat);
  }

  private flattenMap(map: PlainMap, prefix: string, out: PlainMap): void {
    for (const [key, value] of Object.entries(map)) {
      const name = this.name(prefix, key);
      if (value === null || value === undefined || isSchemalessLeaf(value)) out[name] = value ?? null;
      else if (isPlainMap(value)) this.flattenMap(value, name, out);
      else
        throw dataError(
          `Flatten transformation does not support ${typeNameOf(value)} for record without schemas (for field ${name}).`,
        );
    }
  }

  /** Fields under an optional parent become optional; a parent's default supplies the children's defaults. */
  private flattenSchema(
    schema: Schema,
    prefix: string,
    out: SchemaBuilder,
    optional: boolean,
    parentDefault: Struct | null,
  ): void {
    for (const field of schema.fields ?? []) {
      const name = this.name(prefix, field.name);
      const fieldOptional = optional || field.schema.optional;
      const fieldDefault =
        field.schema.defaultValue ?? (parentDefault === null ? null : parentDefault.get(field.name));
      if (PASSED_THROUGH_TYPES.has(field.schema.type)) {
        const builder = copySchemaBasics(field.schema);
        if (fieldOptional) builder.optional();
        if (fieldDefault !== null && fieldDefault !== undefined) builder.defaultValue(fieldDefault);
        out.field(name, builder.build());
      } else if (field.schema.type === 'struct') {
        this.flattenSchema(field.schema, name, out, fieldOptional, (fieldDefault as Struct | null) ?? null);
      } else {
        throw dataError(
          `Flatten transformation does not support ${field.schema.type.toUpperCase()} for record with schemas (for field ${name}).`,
        );
      }
    }
  }

  private flattenStruct(struct: Struct, prefix: string, out: Struct): void {
    for (const field of struct.schema.fields ?? []) {
      const name = this.name(prefix, field.name);
      if (field.schema.type === 'struct') {
        const nested = struct.get(field.name);
        if (nested instanceof Struct) this.flattenStruct(nested, name, out);
      } else {
        out.put(name, struct.get(field.name));
      }
    }
  }
}

export const [flattenKeyPlugin, flattenValuePlugin] = keyValuePlugins(
  'Flatten',
  flattenConfigDef,
  (side) => new Flatten(side),
);
