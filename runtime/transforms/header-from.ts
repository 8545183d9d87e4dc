import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord, Header } from '../api/records.js';
import { fieldOf, SchemaBuilder, type Schema } from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { Transformation } from '../api/transformation.js';
import { configError, dataError } from './support/errors.js';
import { keyValuePlugins } from './support/plugin-descriptors.js';
import type { RecordSide } from './support/record-side.js';
import { requireMap, requireStruct } from './support/requirements.js';
import { copySchemaBasics, fieldValue, SchemaCache } from './support/schema-util.js';
import {
  exactlyOneOf,
  nonEmptyList,
  parseTransformConfig,
  REPLACE_NULL_WITH_DEFAULT,
  replaceNullWithDefaultKey,
} from './support/transform-config.js';

type Operation = 'move' | 'copy';

export const headerFromConfigDef: ConfigDef = {
  fields: {
    type: 'list',
    importance: 'high',
    documentation: 'Field names in the record whose values are to be copied or moved to headers.',
    validator: { check: nonEmptyList },
  },
  headers: {
    type: 'list',
    importance: 'high',
    documentation:
      'Header names, in the same order as the field names listed in the fields configuration property.',
    validator: { check: nonEmptyList },
  },
  operation: {
    type: 'string',
    importance: 'high',
    documentation:
      'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).',
    validator: { check: exactlyOneOf(['move', 'copy']) },
  },
  [REPLACE_NULL_WITH_DEFAULT]: replaceNullWithDefaultKey,
};

/** Moves or copies fields of the key or value into headers. */
export class HeaderFrom implements Transformation {
  private fields: readonly string[] = [];
  private headers: readonly string[] = [];
  private operation: Operation = 'copy';
  private replaceNullWithDefault = true;
  private readonly moveSchemaCache = new SchemaCache();

  constructor(private readonly side: RecordSide) {}

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(headerFromConfigDef, raw);
    this.fields = config.list('fields');
    this.headers = config.list('headers');
    if (this.fields.length !== this.headers.length)
      throw configError("'fields' config must have the same number of elements as 'headers' config.");
    this.operation = config.string('operation') as Operation;
    this.replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    const purpose = `header ${this.operation}`;
    const headers: Header[] = [...record.headers];
    if (schema === null) {
      const map = requireMap(value, purpose);
      const updated = { ...map };
      this.fields.forEach((name, i) => {
        if (this.operation === 'move') delete updated[name];
        headers.push({ key: this.headers[i]!, schema: null, value: map[name] ?? null });
      });
      return { ...this.side.update(record, null, updated), headers };
    }
    const struct = requireStruct(value, purpose);
    this.fields.forEach((name, i) => {
      const field = fieldOf(schema, name);
      if (field === undefined) throw dataError(`${name} is not a valid field name`);
      headers.push({
        key: this.headers[i]!,
        schema: field.schema,
        value: fieldValue(struct, name, this.replaceNullWithDefault),
      });
    });
    if (this.operation === 'copy') return { ...record, headers };
    const movedSchema = this.moveSchemaCache.getOrCompute(schema, (s) => this.schemaWithoutFields(s));
    const moved = new Struct(movedSchema);
    for (const field of movedSchema.fields ?? [])
      moved.put(field.name, fieldValue(struct, field.name, this.replaceNullWithDefault));
    return { ...this.side.update(record, movedSchema, moved), headers };
  }

  private schemaWithoutFields(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields ?? [])
      if (!this.fields.includes(field.name)) builder.field(field.name, field.schema);
    return builder.build();
  }
}

export const [headerFromKeyPlugin, headerFromValuePlugin] = keyValuePlugins(
  'HeaderFrom',
  headerFromConfigDef,
  (side) => new HeaderFrom(side),
);
