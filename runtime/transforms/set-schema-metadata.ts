import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import type { Schema } from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { Transformation } from '../api/transformation.js';
import { configError } from './support/errors.js';
import { keyValuePlugins } from './support/plugin-descriptors.js';
import type { RecordSide } from './support/record-side.js';
import { requireSchema } from './support/requirements.js';
import { fieldValue, SchemaCache } from './support/schema-util.js';
import {
  parseTransformConfig,
  REPLACE_NULL_WITH_DEFAULT,
  replaceNullWithDefaultKey,
} from './support/transform-config.js';

export const setSchemaMetadataConfigDef: ConfigDef = {
  'schema.name': { type: 'string', default: null, importance: 'high', documentation: 'Schema name to set.' },
  'schema.version': {
    type: 'int',
    default: null,
    importance: 'high',
    documentation: 'Schema version to set.',
  },
  [REPLACE_NULL_WITH_DEFAULT]: replaceNullWithDefaultKey,
};

/** Sets the name and/or version of the key or value schema (a Struct is re-created under the new schema). */
export class SetSchemaMetadata implements Transformation {
  private schemaName: string | null = null;
  private schemaVersion: number | null = null;
  private replaceNullWithDefault = true;
  private readonly schemaCache = new SchemaCache();

  constructor(private readonly side: RecordSide) {}

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(setSchemaMetadataConfigDef, raw);
    this.schemaName = config.optionalString('schema.name');
    this.schemaVersion = config.has('schema.version') ? config.number('schema.version') : null;
    this.replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT);
    if (this.schemaName === null && this.schemaVersion === null)
      throw configError('Neither schema name nor version configured');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.side.value(record);
    const schema = this.side.schema(record);
    if ((value === null || value === undefined) && schema === null) return record;
    const source = requireSchema(schema, 'updating schema metadata');
    const updatedSchema = this.schemaCache.getOrCompute(
      source,
      (s) =>
        Object.freeze({
          ...s,
          name: this.schemaName ?? s.name,
          version: this.schemaVersion ?? s.version,
        }) as Schema,
    );
    return this.side.update(record, updatedSchema, this.withSchema(value, updatedSchema));
  }

  private withSchema(value: unknown, updatedSchema: Schema): unknown {
    if (!(value instanceof Struct)) return value;
    const updated = new Struct(updatedSchema);
    for (const field of updatedSchema.fields ?? [])
      updated.put(field.name, fieldValue(value, field.name, this.replaceNullWithDefault));
    return updated;
  }
}

export const [setSchemaMetadataKeyPlugin, setSchemaMetadataValuePlugin] = keyValuePlugins(
  'SetSchemaMetadata',
  setSchemaMetadataConfigDef,
  (side) => new SetSchemaMetadata(side),
);
