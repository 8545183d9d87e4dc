import { LogicalTypeNames, Struct, schemasEqual, type Schema } from '../../../../runtime/api/index.js';
import { RecordNotWritable } from '../record-format.js';
import { decimalPrecision, decimalScale } from './arrow-types.js';
import { toWords, unscaledOf } from './decimal128.js';

const MS_PER_DAY = 86_400_000;
const INT_RANGES = { int8: 2 ** 7, int16: 2 ** 15, int32: 2 ** 31 } as const;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * A Connect value as an Arrow builder takes it for the column `arrowType(schema)` gives, checked all the way
 * down: anything that does not fit throws RecordNotWritable naming the field path (`value.address.zip`,
 * `value.items[2]`). Nothing is appended here, so a refused record leaves the file as it was.
 */
export function arrowValue(schema: Schema, value: unknown, path: string): unknown {
  const present = value ?? schema.defaultValue ?? null;
  if (present === null) {
    if (schema.optional) return null;
    throw new RecordNotWritable(path, `${path} is null, but its schema (${schema.type}) is not optional`);
  }
  switch (schema.name) {
    case LogicalTypeNames.DECIMAL:
      return decimalValue(schema, present, path);
    case LogicalTypeNames.DATE:
      return new Date(Math.floor(epochMs(present, path) / MS_PER_DAY) * MS_PER_DAY);
    case LogicalTypeNames.TIME: {
      const ms = epochMs(present, path);
      if (ms < 0 || ms >= MS_PER_DAY)
        throw new RecordNotWritable(path, `${path} is a Time, but ${ms} ms is not within one day`);
      return ms;
    }
    case LogicalTypeNames.TIMESTAMP:
      return new Date(epochMs(present, path));
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const bound = INT_RANGES[schema.type];
      if (typeof present !== 'number' || !Number.isInteger(present) || present < -bound || present >= bound)
        throw mismatch(path, schema, present, `an integer in [${-bound}, ${bound - 1}]`);
      return present;
    }
    case 'int64': {
      const big =
        typeof present === 'bigint'
          ? present
          : typeof present === 'number' && Number.isInteger(present)
            ? BigInt(present)
            : null;
      if (big === null || big < INT64_MIN || big > INT64_MAX)
        throw mismatch(path, schema, present, 'a 64-bit integer (number or bigint)');
      return big;
    }
    case 'float32':
    case 'float64':
      if (typeof present !== 'number') throw mismatch(path, schema, present, 'a number');
      return present;
    case 'boolean':
      if (typeof present !== 'boolean') throw mismatch(path, schema, present, 'a boolean');
      return present;
    case 'string':
      if (typeof present !== 'string') throw mismatch(path, schema, present, 'a string');
      return present;
    case 'bytes':
      if (!(present instanceof Uint8Array)) throw mismatch(path, schema, present, 'a Buffer');
      return present;
    case 'array': {
      if (!Array.isArray(present)) throw mismatch(path, schema, present, 'an array');
      const items = schema.valueSchema!;
      return present.map((item: unknown, i) => arrowValue(items, item, `${path}[${i}]`));
    }
    case 'map': {
      if (!(present instanceof Map)) throw mismatch(path, schema, present, 'a Map');
      const entries = new Map<unknown, unknown>();
      for (const [key, item] of present as Map<unknown, unknown>) {
        const keyPath = `${path}[${String(key)}]`;
        if (key === null || key === undefined)
          throw new RecordNotWritable(keyPath, `${path} has a null key, which a Parquet map cannot hold`);
        entries.set(
          arrowValue(schema.keySchema!, key, `${keyPath}.key`),
          arrowValue(schema.valueSchema!, item, keyPath),
        );
      }
      return entries;
    }
    case 'struct': {
      if (!(present instanceof Struct)) throw mismatch(path, schema, present, 'a Struct');
      if (!schemasEqual(present.schema, schema))
        throw new RecordNotWritable(path, `${path} is a Struct of another schema than the column's`);
      const row: Record<string, unknown> = {};
      for (const field of schema.fields ?? []) {
        const fieldPath = `${path}.${field.name}`;
        const own = fieldOf(present, field.name, fieldPath);
        row[field.name] = arrowValue(field.schema, own, fieldPath);
      }
      return row;
    }
  }
}

function fieldOf(struct: Struct, name: string, path: string): unknown {
  try {
    return struct.get(name);
  } catch {
    throw new RecordNotWritable(path, `${path} is missing: the struct's own schema has no field ${name}`);
  }
}

function decimalValue(schema: Schema, value: unknown, path: string): Uint32Array {
  const text = typeof value === 'string' ? value : typeof value === 'bigint' ? value.toString() : null;
  if (text === null) throw mismatch(path, schema, value, 'a decimal string');
  const scale = decimalScale(schema);
  const unscaled = unscaledOf(text, scale);
  if (typeof unscaled === 'string') throw new RecordNotWritable(path, `${path}: ${unscaled}`);
  const precision = decimalPrecision(schema);
  const limit = 10n ** BigInt(precision);
  if (unscaled <= -limit || unscaled >= limit)
    throw new RecordNotWritable(
      path,
      `${path}: ${text} has more than ${precision} digits, the column's decimal precision`,
    );
  return toWords(unscaled);
}

function epochMs(value: unknown, path: string): number {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.getTime();
  throw new RecordNotWritable(path, `${path} should be a Date, but is ${describe(value)}`);
}

function mismatch(path: string, schema: Schema, value: unknown, expected: string): RecordNotWritable {
  return new RecordNotWritable(
    path,
    `${path} has schema type ${schema.type} and should be ${expected}, but is ${describe(value)}`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return `the ${typeof value} ${String(value)}`;
}
