import {
  DECIMAL_SCALE_PARAMETER,
  LogicalTypeNames,
  SchemaBuilder,
  Struct,
  type Schema,
} from '../../../runtime/api/index.js';
import type { DecimalMode, TimePrecisionMode } from './config.js';
import { defaultValueText } from './column-default.js';
import type { PgTypeInfo } from './pg-types.js';
import { parseArrayLiteral } from './array-literal.js';
import {
  epochDays,
  epochMicros,
  epochMillis,
  intervalMicros,
  isoUtcTime,
  jsDate,
  microsOfDay,
  zonedTimestamp,
} from './temporal-text.js';

/** Debezium's placeholder for an unchanged TOASTed value that the WAL did not carry. */
export const UNAVAILABLE_VALUE_PLACEHOLDER = '__debezium_unavailable_value';

export interface ColumnMapping {
  readonly schema: Schema;
  /** Text form (as pgoutput and a text-mode query return it) → Connect value. */
  readonly convert: (text: string) => unknown;
  /** What an unchanged TOAST value becomes (null when the type has no placeholder form). */
  readonly unavailable: unknown;
}

export interface MappingOptions {
  readonly decimalMode: DecimalMode;
  readonly timePrecisionMode: TimePrecisionMode;
}

export interface ColumnType {
  readonly type: PgTypeInfo;
  readonly typeModifier: number;
  readonly element?: PgTypeInfo | undefined;
  /** The column's default expression (`pg_get_expr(adbin)`), null without one. */
  readonly defaultExpression?: string | null;
}

const VARIABLE_SCALE_DECIMAL = 'io.debezium.data.VariableScaleDecimal';

function variableScaleDecimalBuilder(): SchemaBuilder {
  return SchemaBuilder.struct()
    .name(VARIABLE_SCALE_DECIMAL)
    .version(1)
    .doc('Variable scaled decimal')
    .field('scale', SchemaBuilder.int32().build())
    .field('value', SchemaBuilder.bytes().build());
}

/** A VariableScaleDecimal before it is put in a Struct of the column's own (optional or not) schema. */
interface ScaledValue {
  readonly scale: number;
  readonly value: Buffer;
}

function semantic(base: SchemaBuilder, name: string): SchemaBuilder {
  return base.name(name).version(1);
}

/** BigInteger.toByteArray: minimal big-endian two's complement. */
export function twosComplementBytes(value: bigint): Buffer {
  const bytes: number[] = [];
  let v = value;
  for (;;) {
    const byte = Number(v & 0xffn);
    bytes.unshift(byte);
    v >>= 8n;
    if ((v === 0n && (byte & 0x80) === 0) || (v === -1n && (byte & 0x80) !== 0)) break;
  }
  return Buffer.from(bytes);
}

function unscaledOf(text: string): { unscaled: bigint; scale: number } {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (m === null) throw new Error(`Not a decimal: ${text}`);
  const fraction = m[3] ?? '';
  const digits = `${m[2] ?? ''}${fraction}` || '0';
  return { unscaled: BigInt(`${m[1] === '-' ? '-' : ''}${digits}`), scale: fraction.length };
}

function int64Value(text: string): number | bigint {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : BigInt(text);
}

function numericPrecisionScale(typeModifier: number): { precision: number; scale: number } | null {
  if (typeModifier < 4) return null;
  return { precision: ((typeModifier - 4) >> 16) & 0xffff, scale: (typeModifier - 4) & 0xffff };
}

/** Fractional-second digits of time/timestamp columns (6 when unconstrained). */
function timePrecision(typeModifier: number): number {
  return typeModifier < 0 ? 6 : typeModifier;
}

/** PostgreSQL's numeric special values (Infinity since PostgreSQL 14), in every decimal.handling.mode. */
const NUMERIC_SPECIAL_VALUES: Readonly<Record<string, { readonly double: number; readonly string: string }>> =
  {
    NaN: { double: Number.NaN, string: 'NAN' },
    Infinity: { double: Number.POSITIVE_INFINITY, string: 'POSITIVE_INFINITY' },
    '-Infinity': { double: Number.NEGATIVE_INFINITY, string: 'NEGATIVE_INFINITY' },
  };

/** The plain decimal in a numeric's or a money's text ("-$1,234.50" → "-1234.50"). */
function plainDecimal(text: string): string {
  return text.replace(/[^0-9.-]/g, '');
}

/**
 * Debezium's decimal.handling.mode: `double` and `string` carry NaN and ±Infinity (as NaN/±Infinity and as
 * "NAN"/"POSITIVE_INFINITY"/"NEGATIVE_INFINITY"); `precise` has no form for them: Debezium fails the task
 * there, Sluice emits null (the type's zero value in a required field, see table-model) and goes on.
 */
function numericMapping(
  typeModifier: number,
  mode: DecimalMode,
  fixedScale: number | null,
): { builder: SchemaBuilder; convert: (text: string) => unknown } {
  const special = (t: string): { double: number; string: string } | undefined => NUMERIC_SPECIAL_VALUES[t];
  if (mode === 'double')
    return {
      builder: SchemaBuilder.float64(),
      convert: (t) => special(t)?.double ?? Number(plainDecimal(t)),
    };
  if (mode === 'string')
    return { builder: SchemaBuilder.string(), convert: (t) => special(t)?.string ?? plainDecimal(t) };
  const ps = fixedScale === null ? numericPrecisionScale(typeModifier) : { precision: 0, scale: fixedScale };
  if (ps === null) {
    return {
      builder: variableScaleDecimalBuilder(),
      convert: (t): ScaledValue | null => {
        if (special(t) !== undefined) return null;
        const { unscaled, scale } = unscaledOf(t);
        return { scale, value: twosComplementBytes(unscaled) };
      },
    };
  }
  const builder = SchemaBuilder.bytes()
    .name(LogicalTypeNames.DECIMAL)
    .version(1)
    .parameter(DECIMAL_SCALE_PARAMETER, String(ps.scale));
  if (fixedScale === null) builder.parameter('connect.decimal.precision', String(ps.precision));
  return { builder, convert: (t) => (special(t) !== undefined ? null : plainDecimal(t)) };
}

interface ScalarMapping {
  readonly builder: SchemaBuilder;
  readonly convert: (text: string) => unknown;
  readonly placeholder: 'string' | 'bytes' | null;
}

function scalarMapping(type: PgTypeInfo, typeModifier: number, options: MappingOptions): ScalarMapping {
  const adaptive = options.timePrecisionMode !== 'connect';
  const text = (builder: SchemaBuilder): ScalarMapping => ({
    builder,
    convert: (t) => t,
    placeholder: 'string',
  });
  if (type.kind === 'e') {
    return text(
      semantic(SchemaBuilder.string(), 'io.debezium.data.Enum').parameter(
        'allowed',
        type.enumValues.join(','),
      ),
    );
  }
  switch (type.name) {
    case 'bool':
      return { builder: SchemaBuilder.bool(), convert: (t) => t === 't' || t === 'true', placeholder: null };
    case 'int2':
      return { builder: SchemaBuilder.int16(), convert: Number, placeholder: null };
    case 'int4':
      return { builder: SchemaBuilder.int32(), convert: Number, placeholder: null };
    case 'int8':
    case 'oid':
      return { builder: SchemaBuilder.int64(), convert: int64Value, placeholder: null };
    case 'float4':
      // The float the server holds (PostgreSQL prints the shortest text that reads back to it, e.g. 1e-45).
      return { builder: SchemaBuilder.float32(), convert: (t) => Math.fround(Number(t)), placeholder: null };
    case 'float8':
      return { builder: SchemaBuilder.float64(), convert: Number, placeholder: null };
    case 'numeric': {
      const m = numericMapping(typeModifier, options.decimalMode, null);
      return { ...m, placeholder: null };
    }
    case 'money': {
      const m = numericMapping(typeModifier, options.decimalMode, 2);
      return { ...m, placeholder: null };
    }
    case 'bytea':
      return {
        builder: SchemaBuilder.bytes(),
        convert: (t) => (t.startsWith('\\x') ? Buffer.from(t.slice(2), 'hex') : Buffer.from(t, 'binary')),
        placeholder: 'bytes',
      };
    case 'uuid':
      return text(semantic(SchemaBuilder.string(), 'io.debezium.data.Uuid'));
    case 'json':
    case 'jsonb':
      return text(semantic(SchemaBuilder.string(), 'io.debezium.data.Json'));
    case 'xml':
      return text(semantic(SchemaBuilder.string(), 'io.debezium.data.Xml'));
    case 'date':
      return adaptive
        ? {
            builder: semantic(SchemaBuilder.int32(), 'io.debezium.time.Date'),
            convert: epochDays,
            placeholder: null,
          }
        : {
            builder: SchemaBuilder.int32().name(LogicalTypeNames.DATE).version(1),
            convert: (t) => jsDate(epochDays(t) * 86_400_000),
            placeholder: null,
          };
    case 'time': {
      if (!adaptive)
        return {
          builder: SchemaBuilder.int32().name(LogicalTypeNames.TIME).version(1),
          convert: (t) => new Date(Math.floor(microsOfDay(t) / 1000)),
          placeholder: null,
        };
      if (options.timePrecisionMode === 'adaptive' && timePrecision(typeModifier) <= 3) {
        return {
          builder: semantic(SchemaBuilder.int32(), 'io.debezium.time.Time'),
          convert: (t) => Math.floor(microsOfDay(t) / 1000),
          placeholder: null,
        };
      }
      return {
        builder: semantic(SchemaBuilder.int64(), 'io.debezium.time.MicroTime'),
        convert: microsOfDay,
        placeholder: null,
      };
    }
    case 'timestamp': {
      if (!adaptive)
        return {
          builder: SchemaBuilder.int64().name(LogicalTypeNames.TIMESTAMP).version(1),
          convert: (t) => jsDate(epochMillis(t)),
          placeholder: null,
        };
      if (timePrecision(typeModifier) <= 3)
        return {
          builder: semantic(SchemaBuilder.int64(), 'io.debezium.time.Timestamp'),
          convert: epochMillis,
          placeholder: null,
        };
      return {
        builder: semantic(SchemaBuilder.int64(), 'io.debezium.time.MicroTimestamp'),
        convert: epochMicros,
        placeholder: null,
      };
    }
    case 'timestamptz':
      return {
        builder: semantic(SchemaBuilder.string(), 'io.debezium.time.ZonedTimestamp'),
        convert: (text) => zonedTimestamp(text, timePrecision(typeModifier)),
        placeholder: null,
      };
    case 'timetz':
      return {
        builder: semantic(SchemaBuilder.string(), 'io.debezium.time.ZonedTime'),
        convert: isoUtcTime,
        placeholder: null,
      };
    case 'interval':
      return {
        builder: semantic(SchemaBuilder.int64(), 'io.debezium.time.MicroDuration'),
        convert: intervalMicros,
        placeholder: null,
      };
    default:
      // text, varchar, bpchar, name, char, inet, cidr, macaddr and anything unknown: the server's text form.
      return text(SchemaBuilder.string());
  }
}

/** The scalar's conversion, with VariableScaleDecimal values put into a Struct of `schema`. */
function structuredConvert(schema: Schema, convert: (text: string) => unknown): (text: string) => unknown {
  if (schema.name !== VARIABLE_SCALE_DECIMAL) return convert;
  return (t) => {
    const scaled = convert(t) as ScaledValue | null;
    return scaled === null ? null : new Struct(schema).put('scale', scaled.scale).put('value', scaled.value);
  };
}

const INTEGER_TYPES = new Set(['int2', 'int4', 'int8']);

/**
 * The column's default as a value of its field, which Debezium puts into the field's schema: the default's
 * text (column-default.ts) converted as a value of the column is. None when that fails, as Debezium gives
 * up on a default it cannot parse, and none that is a Struct (Debezium: KAFKA-12694).
 */
function columnDefault(column: ColumnType, scalar: ScalarMapping): unknown {
  const text = defaultValueText(column.type, column.defaultExpression ?? null);
  if (text === undefined) return undefined;
  // Java's Short/Integer/Long.parseLong: digits only (a default such as `(1 + 2)` is an expression).
  if (INTEGER_TYPES.has(column.type.name) && !/^[+-]?\d+$/.test(text)) return undefined;
  try {
    const value = scalar.convert(text);
    if (value === null || value === undefined || value instanceof Struct) return undefined;
    if (typeof value === 'number' && Number.isNaN(value) && !/^nan$/i.test(text)) return undefined;
    if (value instanceof Date && Number.isNaN(value.getTime())) return undefined;
    return value;
  } catch {
    return undefined;
  }
}

/** The Connect schema and value conversion of one column, as Debezium's PostgresValueConverter defines them. */
export function columnMapping(column: ColumnType, optional: boolean, options: MappingOptions): ColumnMapping {
  if (column.type.category === 'A' && column.element !== undefined) {
    const element = scalarMapping(column.element, column.typeModifier, options);
    const elementSchema = element.builder.optional().build();
    const convertElement = structuredConvert(elementSchema, element.convert);
    const builder = SchemaBuilder.array(elementSchema);
    if (optional) builder.optional();
    // Debezium 3.6.1 reads numeric[] through pgjdbc's BigDecimal, which has no NaN or ±Infinity: an array
    // holding one comes out null as a whole, in every decimal.handling.mode (seen side by side, npm run compat).
    const wholeArrayNull =
      column.element.name === 'numeric'
        ? (items: readonly (string | null)[]) => items.some((i) => i !== null && i in NUMERIC_SPECIAL_VALUES)
        : () => false;
    return {
      schema: builder.build(),
      convert: (t) => {
        const items = parseArrayLiteral(t);
        return wholeArrayNull(items)
          ? null
          : items.map((item) => (item === null ? null : convertElement(item)));
      },
      unavailable: element.placeholder === 'string' ? [UNAVAILABLE_VALUE_PLACEHOLDER] : null,
    };
  }
  const scalar = scalarMapping(column.type, column.typeModifier, options);
  if (optional) scalar.builder.optional();
  const defaultValue = columnDefault(column, scalar);
  if (defaultValue !== undefined) scalar.builder.defaultValue(defaultValue);
  const schema = scalar.builder.build();
  const unavailable =
    scalar.placeholder === 'string'
      ? UNAVAILABLE_VALUE_PLACEHOLDER
      : scalar.placeholder === 'bytes'
        ? Buffer.from(UNAVAILABLE_VALUE_PLACEHOLDER, 'utf8')
        : null;
  return { schema, convert: structuredConvert(schema, scalar.convert), unavailable };
}
