import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import { SchemaBuilder } from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { Transformation } from '../api/transformation.js';
import { keyValuePlugins } from './support/plugin-descriptors.js';
import type { RecordSide } from './support/record-side.js';
import { SchemaCache } from './support/schema-util.js';
import { parseTransformConfig } from './support/transform-config.js';

export const hoistFieldConfigDef: ConfigDef = {
  field: {
    type: 'string',
    importance: 'medium',
    documentation: 'Field name for the single field that will be created in the resulting Struct or Map.',
  },
};

/** Wraps the whole key or value in a struct (or map) with one field. */
export class HoistField implements Transformation {
  private fieldName = '';
  private readonly schemaCache = new SchemaCache();

  constructor(private readonly side: RecordSide) {}

  configure(raw: Readonly<Record<string, string>>): void {
    this.fieldName = parseTransformConfig(hoistFieldConfigDef, raw).string('field');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = this.side.schema(record);
    const value = this.side.value(record) ?? null;
    if (schema === null) return this.side.update(record, null, { [this.fieldName]: value });
    const updatedSchema = this.schemaCache.getOrCompute(schema, (s) =>
      SchemaBuilder.struct().field(this.fieldName, s).build(),
    );
    return this.side.update(record, updatedSchema, new Struct(updatedSchema).put(this.fieldName, value));
  }
}

export const [hoistFieldKeyPlugin, hoistFieldValuePlugin] = keyValuePlugins(
  'HoistField',
  hoistFieldConfigDef,
  (side) => new HoistField(side),
);
