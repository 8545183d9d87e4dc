import { LogicalTypeNames, type Schema } from './schema.js';
import { Struct } from './struct.js';

const INT_RANGES = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
} as const;

/** Throws a DataException-style error naming the field when `value` does not fit `schema`. */
export function validateValue(schema: Schema, value: unknown, fieldName = 'value'): void {
  if (value === null || value === undefined) {
    if (schema.optional || schema.defaultValue !== undefined) return;
    throw new Error(
      `Invalid value: null used for required field: "${fieldName}", schema type: ${schema.type}`,
    );
  }
  const fail = (expected: string): never => {
    throw new Error(
      `Invalid Java object for schema with type ${schema.type.toUpperCase()}: ${describe(value)} for field: "${fieldName}" (expected ${expected})`,
    );
  };
  switch (schema.name) {
    case LogicalTypeNames.DECIMAL:
      if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) fail('a decimal string');
      return;
    case LogicalTypeNames.DATE:
    case LogicalTypeNames.TIME:
    case LogicalTypeNames.TIMESTAMP:
      if (!(value instanceof Date)) fail('a Date');
      return;
  }
  switch (schema.type) {
    case 'int8':
    case 'int16':
    case 'int32': {
      const [min, max] = INT_RANGES[schema.type];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
        fail(`an integer in [${min}, ${max}]`);
      return;
    }
    case 'int64':
      if (typeof value === 'bigint') return;
      if (typeof value !== 'number' || !Number.isInteger(value)) fail('an integer number or bigint');
      return;
    case 'float32':
    case 'float64':
      if (typeof value !== 'number') fail('a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('a boolean');
      return;
    case 'string':
      if (typeof value !== 'string') fail('a string');
      return;
    case 'bytes':
      if (!(value instanceof Uint8Array)) fail('a Buffer');
      return;
    case 'array':
      if (!Array.isArray(value)) fail('an array');
      if (schema.valueSchema)
        for (const item of value as unknown[]) validateValue(schema.valueSchema, item, fieldName);
      return;
    case 'map':
      if (!(value instanceof Map)) fail('a Map');
      for (const [k, v] of value as Map<unknown, unknown>) {
        if (schema.keySchema) validateValue(schema.keySchema, k, fieldName);
        if (schema.valueSchema) validateValue(schema.valueSchema, v, fieldName);
      }
      return;
    case 'struct':
      if (!(value instanceof Struct)) fail('a Struct');
      if (!schemasEqual((value as Struct).schema, schema)) {
        throw new Error(`Struct schemas do not match for field "${fieldName}"`);
      }
      return;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `${value.constructor?.name ?? 'object'}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** Structural equality of schemas (Connect compares schemas by value, not identity). */
export function schemasEqual(a: Schema | null | undefined, b: Schema | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.type !== b.type || a.optional !== b.optional || a.name !== b.name || a.version !== b.version)
    return false;
  if (JSON.stringify(a.parameters ?? {}) !== JSON.stringify(b.parameters ?? {})) return false;
  if (!schemasEqual(a.keySchema, b.keySchema) || !schemasEqual(a.valueSchema, b.valueSchema)) return false;
  const af = a.fields ?? [];
  const bf = b.fields ?? [];
  return (
    af.length === bf.length &&
    af.every((f, i) => f.name === bf[i]?.name && schemasEqual(f.schema, bf[i]?.schema))
  );
}
