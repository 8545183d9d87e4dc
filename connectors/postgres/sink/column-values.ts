import { LogicalTypeNames, Struct, type Schema } from '../../../runtime/api/index.js';
import { DebeziumTypeNames, isNestedData } from './column-types.js';

/** What the sink hands `pg` as a query parameter: text Postgres parses for the column's type, bytes, or an array. */
export type SqlParameter = string | number | boolean | Buffer | null | readonly SqlParameter[];

const MICROS_PER_MILLI = 1_000n;
const MICROS_PER_DAY = 86_400_000_000n;
const MILLIS_PER_DAY = 86_400_000;

function toBigInt(value: unknown, what: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return BigInt(value.trim());
  throw new Error(`expected an integer for ${what}, got ${typeof value}`);
}

/** Floor division for bigint (BigInt division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff` in UTC; Postgres ignores no zone here, so timestamp columns get the UTC wall time. */
function microsToTimestampText(micros: bigint): string {
  const millis = floorDiv(micros, MICROS_PER_MILLI);
  const extraMicros = micros - millis * MICROS_PER_MILLI;
  const iso = new Date(Number(millis)).toISOString(); // 2020-01-02T03:04:05.678Z
  return `${iso.slice(0, 23)}${extraMicros.toString().padStart(3, '0')}`;
}

function microsOfDayToTimeText(micros: bigint): string {
  const inDay = ((micros % MICROS_PER_DAY) + MICROS_PER_DAY) % MICROS_PER_DAY;
  const seconds = inDay / 1_000_000n;
  const fraction = inDay % 1_000_000n;
  const hh = (seconds / 3600n).toString().padStart(2, '0');
  const mm = ((seconds / 60n) % 60n).toString().padStart(2, '0');
  const ss = (seconds % 60n).toString().padStart(2, '0');
  return `${hh}:${mm}:${ss}.${fraction.toString().padStart(6, '0')}`;
}

function daysToDateText(days: number): string {
  return new Date(days * MILLIS_PER_DAY).toISOString().slice(0, 10);
}

function dateOf(value: unknown, what: string): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  throw new Error(`expected a Date for ${what}, got ${typeof value}`);
}

/** Java's BigInteger(byte[]): big-endian two's complement. */
function twosComplementToBigInt(bytes: Buffer): bigint {
  if (bytes.length === 0) return 0n;
  let result = 0n;
  for (const byte of bytes) result = (result << 8n) | BigInt(byte);
  const negative = (bytes[0]! & 0x80) !== 0;
  return negative ? result - (1n << BigInt(bytes.length * 8)) : result;
}

function decimalText(unscaled: bigint, scale: number): string {
  if (scale <= 0) return (unscaled * 10n ** BigInt(-scale)).toString();
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return negative ? `-${text}` : text;
}

function variableScaleDecimalText(value: unknown): string {
  if (!(value instanceof Struct)) throw new Error('expected a VariableScaleDecimal struct {scale, value}');
  const scale = Number(value.get('scale'));
  const bytes = value.get('value');
  if (!Buffer.isBuffer(bytes)) throw new Error('VariableScaleDecimal value must be bytes');
  return decimalText(twosComplementToBigInt(bytes), scale);
}

const BY_LOGICAL_NAME: Readonly<Record<string, (value: unknown) => SqlParameter>> = {
  [LogicalTypeNames.DECIMAL]: (value) => String(value),
  [LogicalTypeNames.DATE]: (value) => dateOf(value, 'Date').toISOString().slice(0, 10),
  [LogicalTypeNames.TIME]: (value) => dateOf(value, 'Time').toISOString().slice(11, 23),
  [LogicalTypeNames.TIMESTAMP]: (value) => dateOf(value, 'Timestamp').toISOString().slice(0, 23),
  [DebeziumTypeNames.DATE]: (value) => daysToDateText(Number(value)),
  [DebeziumTypeNames.TIME]: (value) => microsOfDayToTimeText(toBigInt(value, 'Time') * 1_000n),
  [DebeziumTypeNames.MICRO_TIME]: (value) => microsOfDayToTimeText(toBigInt(value, 'MicroTime')),
  [DebeziumTypeNames.NANO_TIME]: (value) => microsOfDayToTimeText(toBigInt(value, 'NanoTime') / 1_000n),
  [DebeziumTypeNames.TIMESTAMP]: (value) => microsToTimestampText(toBigInt(value, 'Timestamp') * 1_000n),
  [DebeziumTypeNames.MICRO_TIMESTAMP]: (value) => microsToTimestampText(toBigInt(value, 'MicroTimestamp')),
  [DebeziumTypeNames.NANO_TIMESTAMP]: (value) =>
    microsToTimestampText(floorDiv(toBigInt(value, 'NanoTimestamp'), 1_000n)),
  [DebeziumTypeNames.VARIABLE_SCALE_DECIMAL]: variableScaleDecimalText,
};

/** A Connect value as plain JSON data (for jsonb columns). */
export function toJsonData(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Struct) {
    const out: Record<string, unknown> = {};
    for (const field of value.schema.fields ?? []) out[field.name] = toJsonData(value.get(field.name));
    return out;
  }
  if (value instanceof Map) {
    const entries = [...value.entries()];
    if (entries.every(([k]) => typeof k === 'string'))
      return Object.fromEntries(entries.map(([k, v]) => [k, toJsonData(v)]));
    return entries.map(([k, v]) => [toJsonData(k), toJsonData(v)]);
  }
  if (Array.isArray(value)) return value.map(toJsonData);
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint')
    return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toJsonData(v)]),
    );
  }
  return value;
}

function scalar(value: unknown): SqlParameter {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string' || typeof value === 'boolean' || Buffer.isBuffer(value)) return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(toJsonData(value));
}

/** Converts a field value to the parameter for its column (the column type came from columnTypeOf). */
export function toSqlParameter(schema: Schema | null, value: unknown): SqlParameter {
  if (value === null || value === undefined) return null;
  if (schema === null) return scalar(value);
  const byName = schema.name === undefined ? undefined : BY_LOGICAL_NAME[schema.name];
  if (byName !== undefined) return byName(value);
  switch (schema.type) {
    case 'array': {
      if (!Array.isArray(value)) throw new Error(`expected an array, got ${typeof value}`);
      const element = schema.valueSchema ?? null;
      if (element !== null && isNestedData(element)) return JSON.stringify(toJsonData(value));
      return value.map((item) => toSqlParameter(element, item));
    }
    case 'map':
    case 'struct':
      return JSON.stringify(toJsonData(value));
    default:
      return scalar(value);
  }
}
