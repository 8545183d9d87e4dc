import {
  Binary,
  Bool,
  DataType,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  List,
  Map_,
  Struct as ArrowStruct,
  TimeMillisecond,
  TimestampMillisecond,
  Type,
  Utf8,
} from 'apache-arrow';
import {
  DECIMAL_SCALE_PARAMETER,
  LogicalTypeNames,
  SchemaBuilder,
  dateSchema,
  decimalSchema,
  timeSchema,
  timestampSchema,
  type Schema,
} from '../../../../runtime/api/index.js';

/** Debezium's parameter for a Decimal's precision; Parquet needs one, and 38 is decimal128's widest. */
export const DECIMAL_PRECISION_PARAMETER = 'connect.decimal.precision';
export const MAX_DECIMAL_PRECISION = 38;

/** The Arrow field that stores values of a Connect schema: optional schemas are nullable columns. */
export function arrowField(name: string, schema: Schema): Field {
  return new Field(name, arrowType(schema), schema.optional);
}

export function arrowType(schema: Schema): DataType {
  switch (schema.name) {
    case LogicalTypeNames.DECIMAL:
      return new Decimal(decimalScale(schema), decimalPrecision(schema), 128);
    case LogicalTypeNames.DATE:
      return new DateDay();
    case LogicalTypeNames.TIME:
      return new TimeMillisecond();
    case LogicalTypeNames.TIMESTAMP:
      return new TimestampMillisecond('UTC');
  }
  switch (schema.type) {
    case 'int8':
      return new Int8();
    case 'int16':
      return new Int16();
    case 'int32':
      return new Int32();
    case 'int64':
      return new Int64();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'boolean':
      return new Bool();
    case 'string':
      return new Utf8();
    case 'bytes':
      return new Binary();
    case 'array':
      return new List(arrowField('element', elementSchema(schema.valueSchema)));
    case 'map':
      // Arrow map keys are never null; a null key is refused when the row is built.
      return new Map_(
        new Field(
          'entries',
          new ArrowStruct([
            new Field('key', arrowType(elementSchema(schema.keySchema)), false),
            arrowField('value', elementSchema(schema.valueSchema)),
          ]),
          false,
        ) as ConstructorParameters<typeof Map_>[0],
      );
    case 'struct':
      return new ArrowStruct((schema.fields ?? []).map((f) => arrowField(f.name, f.schema)));
  }
}

export function decimalScale(schema: Schema): number {
  return Number(schema.parameters?.[DECIMAL_SCALE_PARAMETER] ?? 0);
}

/** The schema's precision parameter when it is one decimal128 can hold, else 38. */
export function decimalPrecision(schema: Schema): number {
  const precision = Number(schema.parameters?.[DECIMAL_PRECISION_PARAMETER]);
  return Number.isInteger(precision) && precision > 0 && precision <= MAX_DECIMAL_PRECISION
    ? Math.max(precision, decimalScale(schema))
    : MAX_DECIMAL_PRECISION;
}

function elementSchema(schema: Schema | undefined): Schema {
  // A schema'd array or map always has element schemas; a missing one is a bug in whoever built it.
  if (schema === undefined) throw new Error('an array or map schema without its element schema');
  return schema;
}

/**
 * The Connect schema of an Arrow column, for files whose Connect schema was not stored with them (or
 * written by another tool): nullable → optional, Arrow's logical types → Connect's.
 */
export function connectSchema(field: Field): Schema {
  const builder = connectBuilder(field.type as DataType);
  return (field.nullable ? builder.optional() : builder).build();
}

function connectBuilder(type: DataType): SchemaBuilder {
  switch (type.typeId) {
    case Type.Int8:
    case Type.Int16:
    case Type.Int32:
    case Type.Int64:
    case Type.Uint8:
    case Type.Uint16:
    case Type.Uint32:
    case Type.Uint64:
      return integerBuilder(type as Int8);
    case Type.Float16:
    case Type.Float32:
      return SchemaBuilder.float32();
    case Type.Float64:
      return SchemaBuilder.float64();
    case Type.Bool:
      return SchemaBuilder.bool();
    case Type.Utf8:
    case Type.LargeUtf8:
      return SchemaBuilder.string();
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
      return SchemaBuilder.bytes();
    case Type.Decimal: {
      const decimal = type as Decimal;
      const builder = decimalSchema(decimal.scale);
      return decimal.precision === MAX_DECIMAL_PRECISION
        ? builder
        : builder.parameter(DECIMAL_PRECISION_PARAMETER, String(decimal.precision));
    }
    case Type.Date:
    case Type.DateDay:
    case Type.DateMillisecond:
      return dateSchema();
    case Type.Time:
    case Type.TimeSecond:
    case Type.TimeMillisecond:
    case Type.TimeMicrosecond:
    case Type.TimeNanosecond:
      return timeSchema();
    case Type.Timestamp:
    case Type.TimestampSecond:
    case Type.TimestampMillisecond:
    case Type.TimestampMicrosecond:
    case Type.TimestampNanosecond:
      return timestampSchema();
    case Type.Dictionary:
      return connectBuilder((type as unknown as { dictionary: DataType }).dictionary);
    case Type.List:
    case Type.FixedSizeList:
      return SchemaBuilder.array(connectSchema((type as List).children[0]!));
    case Type.Map: {
      const [key, value] = ((type as Map_).children[0]!.type as ArrowStruct).children;
      return SchemaBuilder.map(connectSchema(key!), connectSchema(value!));
    }
    case Type.Struct: {
      const builder = SchemaBuilder.struct();
      for (const child of (type as ArrowStruct).children) builder.field(child.name, connectSchema(child));
      return builder;
    }
    default:
      throw new Error(`Parquet column type ${String(type)} has no Connect schema`);
  }
}

function integerBuilder(type: Int8): SchemaBuilder {
  const bits = (type as unknown as { bitWidth: number }).bitWidth;
  const signed = (type as unknown as { isSigned: boolean }).isSigned;
  // An unsigned column takes the next wider signed type, so every value fits.
  const width = signed ? bits : bits * 2;
  if (width <= 8) return SchemaBuilder.int8();
  if (width <= 16) return SchemaBuilder.int16();
  if (width <= 32) return SchemaBuilder.int32();
  return SchemaBuilder.int64();
}
