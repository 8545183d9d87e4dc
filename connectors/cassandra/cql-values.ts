/**
 * Turns a record's field (a Connect value: Struct, Map, Buffer, Date, decimal string, number, bigint, or a
 * schemaless JSON value) into what cassandra-driver binds for the column's CQL type. A value that does not
 * fit is a CqlValueError naming the column, the CQL type and the value's type, so the record can go to the
 * dead letter queue with a reason a person can act on.
 */
import cassandra from 'cassandra-driver';
import { Struct } from '../../runtime/api/index.js';
import { MICROS_PER_UNIT, type CodecSettings } from './table-settings.js';

const { types } = cassandra;
const codes = types.dataTypes;

/** A column type as the driver's schema metadata describes it. */
export interface CqlType {
  readonly code: number;
  readonly info?: unknown;
}

export class CqlValueError extends Error {}

export function cqlTypeName(type: CqlType): string {
  const info = type.info as unknown;
  switch (type.code) {
    case codes.list:
      return `list<${cqlTypeName(info as CqlType)}>`;
    case codes.set:
      return `set<${cqlTypeName(info as CqlType)}>`;
    case codes.map: {
      const [k, v] = info as [CqlType, CqlType];
      return `map<${cqlTypeName(k)}, ${cqlTypeName(v)}>`;
    }
    case codes.tuple:
      return `tuple<${(info as CqlType[]).map(cqlTypeName).join(', ')}>`;
    case codes.udt:
      return (info as { name: string }).name;
    default:
      return (
        Object.entries(codes).find(
          ([name, code]) => code === type.code && typeof code === 'number' && name !== 'varchar',
        )?.[0] ?? `type ${type.code}`
      );
  }
}

function typeOfValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Struct) return 'struct';
  if (Buffer.isBuffer(value)) return 'bytes';
  if (value instanceof Date) return 'Date';
  if (value instanceof Map) return 'map';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

const INT_RANGES: Record<number, [number, number]> = {
  [codes.tinyint]: [-128, 127],
  [codes.smallint]: [-32768, 32767],
  [codes.int]: [-2147483648, 2147483647],
};

function fieldsOf(value: unknown): Map<string, unknown> | null {
  if (value instanceof Struct) {
    const out = new Map<string, unknown>();
    for (const field of value.schema.fields ?? []) out.set(field.name, value.get(field.name));
    return out;
  }
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [String(k), v]));
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !Buffer.isBuffer(value) &&
    !(value instanceof Date)
  )
    return new Map(Object.entries(value));
  return null;
}

function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Struct) return Object.fromEntries(fieldsOf(v)!);
    if (v instanceof Map) return Object.fromEntries(v);
    if (v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer')
      return Buffer.from((v as { data: number[] }).data).toString('base64');
    return v;
  });
}

/** Epoch milliseconds of a timestamp given as a Date, a number in codec.unit, or an ISO-8601 string. */
function timestampMillis(value: unknown, codec: CodecSettings): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number' || typeof value === 'bigint')
    return (Number(value) * MICROS_PER_UNIT[codec.unit]) / 1000;
  if (typeof value === 'string') {
    const text = value.trim();
    if (/^-?\d+$/.test(text)) return (Number(text) * MICROS_PER_UNIT[codec.unit]) / 1000;
    const parsed = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) || !/T|\s\d/.test(text) ? text : `${text}Z`);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

export class CqlConverter {
  constructor(private readonly codec: CodecSettings) {}

  /** The bound value for `column` of `type`; null stays null (the caller decides null vs unset). */
  convert(column: string, type: CqlType, value: unknown): unknown {
    if (value === null || value === undefined) return null;
    const converted = this.tryConvert(type, value, column);
    if (converted === undefined)
      throw new CqlValueError(
        `column ${column} (CQL ${cqlTypeName(type)}) cannot take a ${typeOfValue(value)} value: ${String(toJsonText(value)).slice(0, 200)}`,
      );
    return converted;
  }

  /** undefined means "does not fit". */
  private tryConvert(type: CqlType, value: unknown, column: string): unknown {
    switch (type.code) {
      case codes.ascii:
      case codes.text:
      case codes.varchar:
        if (typeof value === 'string') return value;
        if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
          return String(value);
        if (value instanceof Date) return value.toISOString();
        if (Buffer.isBuffer(value)) return value.toString('base64');
        return toJsonText(value);
      case codes.tinyint:
      case codes.smallint:
      case codes.int: {
        const n =
          typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)
            ? Number(value)
            : typeof value === 'bigint'
              ? Number(value)
              : value;
        const [min, max] = INT_RANGES[type.code]!;
        return typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
      }
      case codes.bigint:
      case codes.counter: {
        if (typeof value === 'bigint') return types.Long.fromString(value.toString());
        if (typeof value === 'number' && Number.isInteger(value)) return types.Long.fromNumber(value);
        if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value))
          return types.Long.fromString(value.trim());
        if (value instanceof Date) return types.Long.fromNumber(value.getTime());
        return undefined;
      }
      case codes.varint: {
        const text =
          typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))
            ? String(value)
            : typeof value === 'string'
              ? value.trim()
              : '';
        return /^-?\d+$/.test(text) ? types.Integer.fromString(text) : undefined;
      }
      case codes.boolean:
        if (typeof value === 'boolean') return value;
        if (typeof value === 'string' && /^(true|false)$/i.test(value.trim()))
          return value.trim().toLowerCase() === 'true';
        return undefined;
      case codes.float:
      case codes.double: {
        if (typeof value === 'number') return value;
        if (typeof value === 'bigint') return Number(value);
        if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
          return Number(value);
        if (typeof value === 'string' && /^(nan|-?infinity)$/i.test(value.trim()))
          return Number(
            value
              .trim()
              .replace(/^nan$/i, 'NaN')
              .replace(/infinity/i, 'Infinity'),
          );
        return undefined;
      }
      case codes.decimal: {
        const text =
          typeof value === 'number' && Number.isFinite(value)
            ? String(value)
            : typeof value === 'bigint'
              ? value.toString()
              : typeof value === 'string'
                ? value.trim()
                : '';
        return /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)
          ? types.BigDecimal.fromString(text)
          : undefined;
      }
      case codes.blob:
        if (Buffer.isBuffer(value)) return value;
        if (value instanceof Uint8Array) return Buffer.from(value);
        if (typeof value === 'string') return Buffer.from(value, 'base64');
        return undefined;
      case codes.uuid:
        return typeof value === 'string' &&
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.trim())
          ? types.Uuid.fromString(value.trim())
          : undefined;
      case codes.timeuuid:
        return typeof value === 'string' &&
          /^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value.trim())
          ? types.TimeUuid.fromString(value.trim())
          : undefined;
      case codes.inet:
        try {
          return typeof value === 'string' ? types.InetAddress.fromString(value.trim()) : undefined;
        } catch {
          return undefined;
        }
      case codes.timestamp: {
        const ms = timestampMillis(value, this.codec);
        return ms === null ? undefined : new Date(ms);
      }
      case codes.date: {
        if (value instanceof Date) return types.LocalDate.fromDate(value);
        // Connect's Date travels as days since the epoch when it is a plain int.
        if (typeof value === 'number' && Number.isInteger(value))
          return types.LocalDate.fromDate(new Date(value * 86_400_000));
        if (typeof value === 'string' && /^-?\d{4,}-\d\d-\d\d$/.test(value.trim()))
          return types.LocalDate.fromString(value.trim());
        return undefined;
      }
      case codes.time: {
        // Connect's Time is a Date on 1970-01-01; plain numbers are in codec.unit since midnight.
        if (value instanceof Date) return types.LocalTime.fromMilliseconds(value.getTime() % 86_400_000);
        if (typeof value === 'number' || typeof value === 'bigint') {
          const nanos = BigInt(Math.round(Number(value) * MICROS_PER_UNIT[this.codec.unit] * 1000));
          return nanos >= 0n && nanos < 86_400_000_000_000n
            ? new types.LocalTime(types.Long.fromString(nanos.toString()))
            : undefined;
        }
        if (typeof value === 'string' && /^\d\d:\d\d(:\d\d(\.\d{1,9})?)?$/.test(value.trim()))
          return types.LocalTime.fromString(value.trim().length === 5 ? `${value.trim()}:00` : value.trim());
        return undefined;
      }
      case codes.list:
      case codes.set: {
        const items = Array.isArray(value) ? value : value instanceof Set ? [...value] : null;
        if (items === null) return undefined;
        const element = type.info as CqlType;
        const converted = items.map((item, i) => this.convert(`${column}[${i}]`, element, item));
        return type.code === codes.set ? new Set(converted) : converted;
      }
      case codes.map: {
        const entries =
          value instanceof Map ? [...value] : fieldsOf(value) === null ? null : [...fieldsOf(value)!];
        if (entries === null) return undefined;
        const [keyType, valueType] = type.info as [CqlType, CqlType];
        return new Map(
          entries.map(([k, v]) => [
            this.convert(`${column} key`, keyType, k),
            this.convert(`${column}[${String(k)}]`, valueType, v),
          ]),
        );
      }
      case codes.tuple: {
        const elements = type.info as CqlType[];
        if (!Array.isArray(value) || value.length !== elements.length) return undefined;
        return types.Tuple.fromArray(
          value.map((item, i) => this.convert(`${column}.${i}`, elements[i]!, item)),
        );
      }
      case codes.udt: {
        const fields = fieldsOf(value);
        if (fields === null) return undefined;
        const udt = type.info as { name: string; fields: { name: string; type: CqlType }[] };
        const out: Record<string, unknown> = {};
        for (const [name, fieldValue] of fields) {
          const field = udt.fields.find((f) => f.name === name || f.name === name.toLowerCase());
          if (field === undefined)
            throw new CqlValueError(`column ${column} (CQL ${udt.name}) has no field ${name}`);
          out[field.name] = this.convert(`${column}.${field.name}`, field.type, fieldValue);
        }
        return out;
      }
      default:
        return undefined;
    }
  }
}
