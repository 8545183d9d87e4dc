import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import { fieldOf, SchemaBuilder, type Schema } from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { Transformation } from '../api/transformation.js';
import { dataError } from './support/errors.js';
import { transformationPlugin } from './support/plugin-descriptors.js';
import { requireMap, requireStruct } from './support/requirements.js';
import { fieldValue, SchemaCache } from './support/schema-util.js';
import {
  nonEmptyList,
  parseTransformConfig,
  REPLACE_NULL_WITH_DEFAULT,
  replaceNullWithDefaultKey,
} from './support/transform-config.js';

const PURPOSE = 'copying fields from value to key';

export const valueToKeyConfigDef: ConfigDef = {
  fields: {
    type: 'list',
    importance: 'high',
    documentation: 'Field names on the record value to extract as the record key.',
    validator: { check: nonEmptyList },
  },
  [REPLACE_NULL_WITH_DEFAULT]: replaceNullWithDefaultKey,
};

/** Replaces the key with a new key made of some fields of the value. */
export class ValueToKey implements Transformation {
  private fields: readonly string[] = [];
  private replaceNullWithDefault = true;
  private readonly schemaCache = new SchemaCache();

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(valueToKeyConfigDef, raw);
    this.fields = config.list('fields');
    this.replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (record.valueSchema === null) {
      const value = requireMap(record.value, PURPOSE);
      const key: Record<string, unknown> = {};
      for (const name of this.fields) key[name] = value[name] ?? null;
      return { ...record, keySchema: null, key };
    }
    const value = requireStruct(record.value, PURPOSE);
    const keySchema = this.schemaCache.getOrCompute(value.schema, (s) => this.keySchema(s));
    const key = new Struct(keySchema);
    for (const name of this.fields) key.put(name, fieldValue(value, name, this.replaceNullWithDefault));
    return { ...record, keySchema, key };
  }

  private keySchema(valueSchema: Schema): Schema {
    const builder = SchemaBuilder.struct();
    for (const name of this.fields) {
      const field = fieldOf(valueSchema, name);
      if (field === undefined) throw dataError(`Field does not exist: ${name}`);
      builder.field(name, field.schema);
    }
    return builder.build();
  }
}

export const valueToKeyPlugin = transformationPlugin(
  'ValueToKey',
  valueToKeyConfigDef,
  () => new ValueToKey(),
);
