import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import { Schemas, SchemaBuilder, timestampSchema, type Schema } from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { Transformation } from '../api/transformation.js';
import { configError, keyedConfigError } from './support/errors.js';
import { keyValuePlugins } from './support/plugin-descriptors.js';
import type { RecordSide } from './support/record-side.js';
import { requireMap, requireSinkRecord, requireStruct } from './support/requirements.js';
import { copySchemaBasics, fieldValue, SchemaCache } from './support/schema-util.js';
import {
  parseTransformConfig,
  REPLACE_NULL_WITH_DEFAULT,
  replaceNullWithDefaultKey,
} from './support/transform-config.js';

const OPTIONALITY_DOC =
  'Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).';
const PURPOSE = 'field insertion';

export const insertFieldConfigDef: ConfigDef = {
  'topic.field': {
    type: 'string',
    default: null,
    importance: 'medium',
    documentation: `Field name for Kafka topic. ${OPTIONALITY_DOC}`,
  },
  'partition.field': {
    type: 'string',
    default: null,
    importance: 'medium',
    documentation: `Field name for Kafka partition. ${OPTIONALITY_DOC}`,
  },
  'offset.field': {
    type: 'string',
    default: null,
    importance: 'medium',
    documentation: `Field name for Kafka offset - only applicable to sink connectors.<br/>${OPTIONALITY_DOC}`,
  },
  'timestamp.field': {
    type: 'string',
    default: null,
    importance: 'medium',
    documentation: `Field name for record timestamp. ${OPTIONALITY_DOC}`,
  },
  'static.field': {
    type: 'string',
    default: null,
    importance: 'medium',
    documentation: `Field name for static data field. ${OPTIONALITY_DOC}`,
  },
  'static.value': {
    type: 'string',
    default: null,
    importance: 'medium',
    documentation: 'Static field value, if field name configured.',
  },
  [REPLACE_NULL_WITH_DEFAULT]: replaceNullWithDefaultKey,
};

interface InsertionSpec {
  readonly name: string;
  readonly optional: boolean;
}

/** `name!` is a required field, `name?` or plain `name` an optional one. */
function parseSpec(spec: string | null): InsertionSpec | null {
  if (spec === null) return null;
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

const OPTIONAL_TIMESTAMP = timestampSchema().optional().build();
const REQUIRED_TIMESTAMP = timestampSchema().build();

/** Inserts record metadata (topic, partition, offset, timestamp) or a static value as fields. */
export class InsertField implements Transformation {
  private topicField: InsertionSpec | null = null;
  private partitionField: InsertionSpec | null = null;
  private offsetField: InsertionSpec | null = null;
  private timestampField: InsertionSpec | null = null;
  private staticField: InsertionSpec | null = null;
  private staticValue: string | null = null;
  private replaceNullWithDefault = true;
  private readonly schemaCache = new SchemaCache();

  constructor(private readonly side: RecordSide) {}

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(insertFieldConfigDef, raw);
    this.topicField = parseSpec(config.optionalString('topic.field'));
    this.partitionField = parseSpec(config.optionalString('partition.field'));
    this.offsetField = parseSpec(config.optionalString('offset.field'));
    this.timestampField = parseSpec(config.optionalString('timestamp.field'));
    this.staticField = parseSpec(config.optionalString('static.field'));
    this.staticValue = config.optionalString('static.value');
    this.replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT);
    if (
      !this.topicField &&
      !this.partitionField &&
      !this.offsetField &&
      !this.timestampField &&
      !this.staticField
    ) {
      throw configError('No field insertion configured');
    }
    if (this.staticField !== null && this.staticValue === null) {
      throw keyedConfigError(
        'static.value',
        null,
        `No value specified for static field: ${config.string('static.field')}`,
      );
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.side.value(record);
    if (value === null || value === undefined) return record;
    const schema = this.side.schema(record);
    return schema === null ? this.applySchemaless(record, value) : this.applyWithSchema(record, value);
  }

  private insertions(record: ConnectRecord, withSchema: boolean): [string, unknown][] {
    const out: [string, unknown][] = [];
    if (this.topicField) out.push([this.topicField.name, record.topic]);
    if (this.partitionField && record.kafkaPartition !== null)
      out.push([this.partitionField.name, record.kafkaPartition]);
    if (this.offsetField) out.push([this.offsetField.name, requireSinkRecord(record, PURPOSE).kafkaOffset]);
    if (this.timestampField && record.timestamp !== null) {
      out.push([this.timestampField.name, withSchema ? new Date(record.timestamp) : record.timestamp]);
    }
    if (this.staticField && this.staticValue !== null) out.push([this.staticField.name, this.staticValue]);
    return out;
  }

  private applySchemaless<R extends ConnectRecord>(record: R, value: unknown): R {
    const updated = { ...requireMap(value, PURPOSE) };
    for (const [name, inserted] of this.insertions(record, false)) updated[name] = inserted;
    return this.side.update(record, null, updated);
  }

  private applyWithSchema<R extends ConnectRecord>(record: R, value: unknown): R {
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.schemaCache.getOrCompute(struct.schema, (s) => this.updatedSchema(s));
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields ?? [])
      updated.put(field.name, fieldValue(struct, field.name, this.replaceNullWithDefault));
    for (const [name, inserted] of this.insertions(record, true)) updated.put(name, inserted);
    return this.side.update(record, updatedSchema, updated);
  }

  private updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields ?? []) builder.field(field.name, field.schema);
    const add = (spec: InsertionSpec | null, optional: Schema, required: Schema) => {
      if (spec) builder.field(spec.name, spec.optional ? optional : required);
    };
    add(this.topicField, Schemas.OPTIONAL_STRING, Schemas.STRING);
    add(this.partitionField, Schemas.OPTIONAL_INT32, Schemas.INT32);
    add(this.offsetField, Schemas.OPTIONAL_INT64, Schemas.INT64);
    add(this.timestampField, OPTIONAL_TIMESTAMP, REQUIRED_TIMESTAMP);
    add(this.staticField, Schemas.OPTIONAL_STRING, Schemas.STRING);
    return builder.build();
  }
}

export const [insertFieldKeyPlugin, insertFieldValuePlugin] = keyValuePlugins(
  'InsertField',
  insertFieldConfigDef,
  (side) => new InsertField(side),
);
