import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import type { Transformation } from '../api/transformation.js';
import { SluiceError } from '../errors/sluice-error.js';
import {
  FIELD_SYNTAX_VERSION,
  fieldSyntaxVersionKey,
  SingleFieldPath,
  type FieldSyntaxVersion,
} from './support/field-path.js';
import { keyValuePlugins } from './support/plugin-descriptors.js';
import type { RecordSide } from './support/record-side.js';
import { requireMapOrNull, requireStructOrNull } from './support/requirements.js';
import {
  parseTransformConfig,
  REPLACE_NULL_WITH_DEFAULT,
  replaceNullWithDefaultKey,
} from './support/transform-config.js';

const PURPOSE = 'field extraction';

export const extractFieldConfigDef: ConfigDef = {
  field: { type: 'string', importance: 'medium', documentation: 'Field name to extract.' },
  [REPLACE_NULL_WITH_DEFAULT]: replaceNullWithDefaultKey,
  [FIELD_SYNTAX_VERSION]: fieldSyntaxVersionKey,
};

/** Replaces the key or value with one of its fields (nested with field.syntax.version=V2). */
export class ExtractField implements Transformation {
  private path = new SingleFieldPath('', 'V1');
  private replaceNullWithDefault = true;

  constructor(private readonly side: RecordSide) {}

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(extractFieldConfigDef, raw);
    const version = config.string(FIELD_SYNTAX_VERSION).toUpperCase() as FieldSyntaxVersion;
    this.path = new SingleFieldPath(config.string('field'), version);
    this.replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT);
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (schema === null) {
      const map = requireMapOrNull(value, PURPOSE);
      return this.side.update(record, null, map === null ? null : this.path.valueFromMap(map));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const field = this.path.fieldFrom(schema);
    // Connect raises IllegalArgumentException here, which is not a DataException.
    if (field === undefined) throw new SluiceError('CONNECT_ERROR', [`Unknown field: ${this.path.text}`]);
    return this.side.update(
      record,
      field.schema,
      struct === null ? null : this.path.valueFromStruct(struct, this.replaceNullWithDefault),
    );
  }
}

export const [extractFieldKeyPlugin, extractFieldValuePlugin] = keyValuePlugins(
  'ExtractField',
  extractFieldConfigDef,
  (side) => new ExtractField(side),
);
