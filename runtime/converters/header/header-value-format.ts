import { LogicalTypeNames, type Schema } from '../../api/schema.js';
import { Struct } from '../../api/struct.js';
import { DataProblem, describeJsType } from '../conversion-error.js';
import { decimalFromJs } from '../decimal.js';
import { formatJavaBigDecimal, formatJavaDouble, formatJavaFloat } from '../java-number-format.js';
import { MILLIS_PER_DAY } from '../temporal.js';

/**
 * Connect's Values.convertToString, as SimpleHeaderConverter writes header values: primitives in their
 * Java toString form, bytes as base64, lists/maps/structs in a JSON-like syntax with quoted strings.
 * The schema, when known, picks the Java type a JS number stands for (float vs double, Decimal).
 */
export function headerValueToString(schema: Schema | null, value: unknown): string {
  return append(schema, value, false);
}

function append(schema: Schema | null | undefined, value: unknown, embedded: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (schema?.name === LogicalTypeNames.DECIMAL) {
    const decimal = decimalFromJs(value);
    return formatJavaBigDecimal(decimal.unscaled, decimal.scale);
  }
  switch (typeof value) {
    case 'number':
      return numberText(schema, value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return embedded ? `"${escapeEmbedded(value)}"` : value;
  }
  if (value instanceof Uint8Array) {
    const base64 = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return embedded ? `"${base64}"` : base64;
  }
  if (value instanceof Date) return formatDate(value);
  if (Array.isArray(value)) {
    const itemSchema = schema?.valueSchema;
    return `[${value.map((item) => append(itemSchema, item, true)).join(',')}]`;
  }
  if (value instanceof Map) {
    const parts: string[] = [];
    for (const [k, v] of value)
      parts.push(`${append(schema?.keySchema, k, true)}:${append(schema?.valueSchema, v, true)}`);
    return `{${parts.join(',')}}`;
  }
  if (value instanceof Struct) {
    const parts = (value.schema.fields ?? []).map(
      (f) => `${append(null, f.name, true)}:${append(f.schema, value.get(f.name), true)}`,
    );
    return `{${parts.join(',')}}`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${append(null, k, true)}:${append(schema?.valueSchema, v, true)}`,
    );
    return `{${parts.join(',')}}`;
  }
  throw new DataProblem(
    `Failed to serialize unexpected value type ${describeJsType(value)}: ${String(value)}`,
  );
}

function numberText(schema: Schema | null | undefined, value: number): string {
  switch (schema?.type) {
    case 'float32':
      return formatJavaFloat(value);
    case 'float64':
      return formatJavaDouble(value);
    case 'int8':
    case 'int16':
    case 'int32':
    case 'int64':
      return String(value);
    default:
      return Number.isSafeInteger(value) ? String(value) : formatJavaDouble(value);
  }
}

/** Connect escapes only backslashes and double quotes. */
function escapeEmbedded(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Connect's Values.dateFormatFor, in UTC: a time of day, a date, or a full timestamp. */
function formatDate(value: Date): string {
  const millis = value.getTime();
  const time = `${pad(value.getUTCHours(), 2)}:${pad(value.getUTCMinutes(), 2)}:${pad(value.getUTCSeconds(), 2)}.${pad(value.getUTCMilliseconds(), 3)}Z`;
  if (millis < MILLIS_PER_DAY) return time;
  const date = `${pad(value.getUTCFullYear(), 4)}-${pad(value.getUTCMonth() + 1, 2)}-${pad(value.getUTCDate(), 2)}`;
  return millis % MILLIS_PER_DAY === 0 ? date : `${date}T${time}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
