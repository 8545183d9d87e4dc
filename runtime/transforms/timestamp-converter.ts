import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import {
  dateSchema,
  LogicalTypeNames,
  Schemas,
  SchemaBuilder,
  timeSchema,
  timestampSchema,
  type Schema,
} from '../api/schema.js';
import { Struct } from '../api/struct.js';
import type { Transformation } from '../api/transformation.js';
import { SluiceError } from '../errors/sluice-error.js';
import { configError, dataError } from './support/errors.js';
import { JavaDateFormat } from './support/java-date-format.js';
import { keyValuePlugins } from './support/plugin-descriptors.js';
import type { RecordSide } from './support/record-side.js';
import { requireMap, requireStructOrNull, typeNameOf } from './support/requirements.js';
import { copySchemaBasics, fieldValue, SchemaCache } from './support/schema-util.js';
import {
  exactlyOneOf,
  parseTransformConfig,
  REPLACE_NULL_WITH_DEFAULT,
  replaceNullWithDefaultKey,
} from './support/transform-config.js';

const PURPOSE = 'converting timestamp formats';
const MILLIS_PER_DAY = 86_400_000;
const TARGET_TYPES = ['string', 'unix', 'Date', 'Time', 'Timestamp'] as const;
const PRECISIONS = ['nanoseconds', 'microseconds', 'milliseconds', 'seconds'] as const;
type TimestampType = (typeof TARGET_TYPES)[number];
type UnixPrecision = (typeof PRECISIONS)[number];

export const timestampConverterConfigDef: ConfigDef = {
  field: {
    type: 'string',
    default: '',
    importance: 'high',
    documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp',
  },
  'target.type': {
    type: 'string',
    importance: 'high',
    documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp',
    validator: { check: exactlyOneOf(TARGET_TYPES) },
  },
  format: {
    type: 'string',
    default: '',
    importance: 'medium',
    documentation:
      'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.',
  },
  'unix.precision': {
    type: 'string',
    default: 'milliseconds',
    importance: 'low',
    documentation:
      'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long.' +
      'Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
    validator: { check: exactlyOneOf(PRECISIONS) },
  },
  [REPLACE_NULL_WITH_DEFAULT]: replaceNullWithDefaultKey,
};

const UNIX_FACTOR: Record<UnixPrecision, bigint> = {
  seconds: 1000n,
  milliseconds: 1n,
  microseconds: 1000n,
  nanoseconds: 1_000_000n,
};

function schemaFor(type: TimestampType, optional: boolean): Schema {
  switch (type) {
    case 'string':
      return optional ? Schemas.OPTIONAL_STRING : Schemas.STRING;
    case 'unix':
      return optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64;
    case 'Date':
      return optional ? dateSchema().optional().build() : dateSchema().build();
    case 'Time':
      return optional ? timeSchema().optional().build() : timeSchema().build();
    case 'Timestamp':
      return optional ? timestampSchema().optional().build() : timestampSchema().build();
  }
}

/** Memoised so records keep sharing one schema object per target type (and the schema cache stays effective). */
const TARGET_SCHEMAS = new Map<string, Schema>();
function targetSchema(type: TimestampType, optional: boolean): Schema {
  const key = `${type}/${optional}`;
  let schema = TARGET_SCHEMAS.get(key);
  if (schema === undefined) TARGET_SCHEMAS.set(key, (schema = schemaFor(type, optional)));
  return schema;
}

function typeFromSchema(schema: Schema): TimestampType {
  if (schema.name === LogicalTypeNames.TIMESTAMP) return 'Timestamp';
  if (schema.name === LogicalTypeNames.DATE) return 'Date';
  if (schema.name === LogicalTypeNames.TIME) return 'Time';
  if (schema.type === 'string') return 'string';
  if (schema.type === 'int64') return 'unix';
  throw new SluiceError('CONNECT_ERROR', [
    `Schema ${JSON.stringify(schema)} does not correspond to a known timestamp type format`,
  ]);
}

function inferType(value: unknown): TimestampType {
  if (value instanceof Date) return 'Timestamp';
  if ((typeof value === 'number' && Number.isInteger(value)) || typeof value === 'bigint') return 'unix';
  if (typeof value === 'string') return 'string';
  throw dataError(`TimestampConverter does not support ${typeNameOf(value)} objects as timestamps`);
}

/** Converts timestamps between strings, unix numbers and Connect's Date/Time/Timestamp, for a field or the whole value. */
export class TimestampConverter implements Transformation {
  private field = '';
  private targetType: TimestampType = 'Timestamp';
  private format: JavaDateFormat | null = null;
  private precision: UnixPrecision = 'milliseconds';
  private replaceNullWithDefault = true;
  private readonly schemaCache = new SchemaCache();

  constructor(private readonly side: RecordSide) {}

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(timestampConverterConfigDef, raw);
    this.field = config.string('field');
    this.targetType = config.string('target.type') as TimestampType;
    this.precision = config.string('unix.precision') as UnixPrecision;
    this.replaceNullWithDefault = config.boolean(REPLACE_NULL_WITH_DEFAULT);
    const pattern = config.string('format');
    if (this.targetType === 'string' && pattern.trim() === '') {
      throw configError(
        'TimestampConverter requires format option to be specified when using string timestamps',
      );
    }
    try {
      this.format = pattern.trim() === '' ? null : new JavaDateFormat(pattern);
    } catch {
      throw configError(
        `TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern}`,
      );
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const schema = this.side.schema(record);
    const value = this.side.value(record);
    if (schema === null) {
      if (value === null || value === undefined || this.field === '')
        return this.side.update(record, null, this.convert(value ?? null, null));
      const map = requireMap(value, PURPOSE);
      return this.side.update(record, null, {
        ...map,
        [this.field]: this.convert(map[this.field] ?? null, null),
      });
    }
    if (this.field === '') {
      return this.side.update(
        record,
        targetSchema(this.targetType, schema.optional),
        this.convert(value ?? null, typeFromSchema(schema)),
      );
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.schemaCache.getOrCompute(schema, (s) => this.updatedSchema(s));
    return this.side.update(record, updatedSchema, this.convertStruct(struct, updatedSchema));
  }

  private updatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const f of schema.fields ?? [])
      builder.field(
        f.name,
        f.name === this.field ? targetSchema(this.targetType, f.schema.optional) : f.schema,
      );
    if (schema.optional) builder.optional();
    if (schema.defaultValue instanceof Struct)
      builder.defaultValue(this.convertStruct(schema.defaultValue, builder.build()));
    return builder.build();
  }

  private convertStruct(struct: Struct | null, updatedSchema: Schema): Struct | null {
    if (struct === null) return null;
    const updated = new Struct(updatedSchema);
    for (const f of struct.schema.fields ?? []) {
      const original = fieldValue(struct, f.name, this.replaceNullWithDefault);
      updated.put(
        f.name,
        f.name === this.field ? this.convert(original, typeFromSchema(f.schema)) : original,
      );
    }
    return updated;
  }

  private convert(timestamp: unknown, sourceType: TimestampType | null): unknown {
    if (timestamp === null || timestamp === undefined) return null;
    return this.fromRaw(this.toRaw(timestamp, sourceType ?? inferType(timestamp)));
  }

  /** Any supported representation to epoch milliseconds. */
  private toRaw(value: unknown, type: TimestampType): number {
    switch (type) {
      case 'string': {
        if (typeof value !== 'string')
          throw dataError(`Expected string timestamp to be a String, but found ${typeNameOf(value)}`);
        const format = this.format;
        if (format === null)
          throw dataError(`Could not parse timestamp: value (${value}) does not match pattern ()`);
        try {
          return format.parse(value).getTime();
        } catch (error) {
          throw dataError(
            `Could not parse timestamp: value (${value}) does not match pattern (${format.pattern})`,
            error,
          );
        }
      }
      case 'unix': {
        if (!(typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)))) {
          throw dataError(`Expected Unix timestamp to be a Long, but found ${typeNameOf(value)}`);
        }
        const big = BigInt(value);
        return Number(this.precision === 'seconds' ? big * 1000n : big / UNIX_FACTOR[this.precision]);
      }
      default:
        if (!(value instanceof Date))
          throw dataError(`Expected ${type} to be a java.util.Date, but found ${typeNameOf(value)}`);
        return value.getTime();
    }
  }

  private fromRaw(millis: number): unknown {
    switch (this.targetType) {
      case 'string':
        return this.format!.format(new Date(millis));
      case 'unix': {
        if (this.precision === 'seconds') return Math.trunc(millis / 1000);
        const scaled = BigInt(millis) * UNIX_FACTOR[this.precision];
        return Number.isSafeInteger(Number(scaled)) ? Number(scaled) : scaled;
      }
      case 'Date':
        return new Date(Math.floor(millis / MILLIS_PER_DAY) * MILLIS_PER_DAY);
      case 'Time':
        return new Date(((millis % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
      case 'Timestamp':
        return new Date(millis);
    }
  }
}

export const [timestampConverterKeyPlugin, timestampConverterValuePlugin] = keyValuePlugins(
  'TimestampConverter',
  timestampConverterConfigDef,
  (side) => new TimestampConverter(side),
);
