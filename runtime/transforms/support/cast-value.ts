import { LogicalTypeNames, type Schema, type SchemaType } from '../../api/schema.js';
import { Struct } from '../../api/struct.js';
import { dataError } from './errors.js';
import { isPlainMap, typeNameOf } from './requirements.js';

export type CastTarget = 'int8' | 'int16' | 'int32' | 'int64' | 'float32' | 'float64' | 'boolean' | 'string';
export const CAST_TARGETS: readonly CastTarget[] = [
  'int8',
  'int16',
  'int32',
  'int64',
  'float32',
  'float64',
  'boolean',
  'string',
];
const CAST_SOURCES: readonly SchemaType[] = [...CAST_TARGETS, 'bytes'];
const MILLIS_PER_DAY = 86_400_000;
const BITS = { int8: 8, int16: 16, int32: 32 } as const;

/** Java's ConnectSchema.schemaType for schemaless values; JS numbers are int64 when integral, else float64. */
function inferType(value: unknown): SchemaType | null {
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (typeof value === 'bigint') return 'int64';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (value instanceof Uint8Array) return 'bytes';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Map || isPlainMap(value)) return 'map';
  if (value instanceof Struct) return 'struct';
  return null;
}

function javaEnumName(types: readonly string[]): string {
  return `[${types.map((t) => t.toUpperCase()).join(', ')}]`;
}

function outOfRange(value: unknown): never {
  throw dataError(`Value (${String(value)}) was out of range for requested data type`);
}

/** Java's narrowing (byteValue/shortValue/intValue): truncate toward zero, then wrap to the width. */
function narrow(n: number | bigint, bits: 8 | 16 | 32): number {
  const whole = typeof n === 'bigint' ? n : BigInt(Math.trunc(Number.isFinite(n) ? n : 0));
  return Number(BigInt.asIntN(bits, whole));
}

function parseJavaInteger(text: string, bits: 8 | 16 | 32 | 64): number | bigint {
  if (!/^[-+]?\d+$/.test(text)) outOfRange(text);
  const big = BigInt(text);
  const limit = 1n << BigInt(bits - 1);
  if (big < -limit || big >= limit) outOfRange(text);
  return bits === 64 && (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER))
    ? big
    : Number(big);
}

function parseJavaFloat(text: string): number {
  const trimmed = text.trim();
  const n = /^(NaN|[-+]?Infinity)$/.test(trimmed) ? Number(trimmed) : Number(trimmed.replace(/[dDfF]$/, ''));
  if (trimmed === '' || (Number.isNaN(n) && trimmed !== 'NaN')) outOfRange(text);
  return n;
}

/** Java's Double.toString for the whole numbers JS prints without a fraction (1 → "1.0"). */
function javaFloatString(n: number): string {
  if (!Number.isFinite(n) || !Number.isInteger(n) || Math.abs(n) >= 1e7) return String(n);
  return `${n}.0`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Connect's Values.dateFormatFor: time-of-day, date-only or full ISO-8601 timestamp, in UTC. */
function dateString(date: Date): string {
  const ms = date.getTime();
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}Z`;
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  if (ms < MILLIS_PER_DAY) return time;
  if (ms % MILLIS_PER_DAY === 0) return day;
  return `${day}T${time}`;
}

/** Logical values to the integers Connect stores them as (days, millis of day, epoch millis). */
function encodeLogical(schema: Schema, value: unknown): unknown {
  if (!(value instanceof Date))
    return schema.name === LogicalTypeNames.DECIMAL && typeof value === 'string' ? Number(value) : value;
  switch (schema.name) {
    case LogicalTypeNames.DATE:
      return Math.floor(value.getTime() / MILLIS_PER_DAY);
    case LogicalTypeNames.TIME:
      return value.getTime() % MILLIS_PER_DAY;
    case LogicalTypeNames.TIMESTAMP:
      return value.getTime();
    default:
      return value;
  }
}

function toNumber(value: unknown, target: CastTarget): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  throw dataError(`Unexpected type in Cast transformation: ${typeNameOf(value)} (to ${target})`);
}

function castTo(value: unknown, target: CastTarget, sourceType: SchemaType): unknown {
  switch (target) {
    case 'int8':
    case 'int16':
    case 'int32':
      return typeof value === 'string'
        ? parseJavaInteger(value, BITS[target])
        : narrow(toNumber(value, target), BITS[target]);
    case 'int64': {
      if (typeof value === 'string') return parseJavaInteger(value, 64);
      const n = toNumber(value, target);
      return typeof n === 'bigint' ? n : Math.trunc(n);
    }
    case 'float32':
      return Math.fround(typeof value === 'string' ? parseJavaFloat(value) : Number(toNumber(value, target)));
    case 'float64':
      return typeof value === 'string' ? parseJavaFloat(value) : Number(toNumber(value, target));
    case 'boolean':
      if (typeof value === 'string') return value.toLowerCase() === 'true';
      if (typeof value === 'boolean') return value;
      return Number(toNumber(value, target)) !== 0;
    case 'string':
      if (value instanceof Date) return dateString(value);
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      if (typeof value === 'number' && (sourceType === 'float32' || sourceType === 'float64'))
        return javaFloatString(value);
      return String(value);
  }
}

/** Casts one value as Connect's Cast does; `schema` is null for schemaless data. */
export function castValue(schema: Schema | null, value: unknown, target: CastTarget): unknown {
  if (value === null || value === undefined) return null;
  const sourceType = schema === null ? inferType(value) : schema.type;
  if (sourceType === null)
    throw dataError(
      `Cast transformation was passed a value of type ${typeNameOf(value)} which is not supported by Connect's data API`,
    );
  if (!CAST_SOURCES.includes(sourceType)) {
    throw dataError(
      `Cast transformation does not support casting from ${sourceType.toUpperCase()}; supported types are ${javaEnumName(CAST_SOURCES)}`,
    );
  }
  const encoded =
    schema !== null && schema.name !== undefined && target !== 'string'
      ? encodeLogical(schema, value)
      : value;
  return castTo(encoded, target, sourceType);
}

export function unsupportedCastTargetMessage(type: string): string {
  return `Cast transformation does not support casting to ${type.toUpperCase()}; supported types are ${javaEnumName(CAST_TARGETS)}`;
}
