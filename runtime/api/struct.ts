import { fieldOf, type Schema } from './schema.js';
import { validateValue } from './schema-validation.js';

/** A value of a struct schema: field values addressed by name, checked against the field schemas. */
export class Struct {
  private readonly values: unknown[];

  constructor(readonly schema: Schema) {
    if (schema.type !== 'struct') throw new Error(`Struct needs a struct schema, got ${schema.type}`);
    this.values = new Array<unknown>(schema.fields?.length ?? 0).fill(null);
  }

  put(fieldName: string, value: unknown): this {
    const field = fieldOf(this.schema, fieldName);
    if (field === undefined) throw new Error(`${fieldName} is not a valid field name`);
    validateValue(field.schema, value, fieldName);
    this.values[field.index] = value;
    return this;
  }

  /** The field's value, or its schema default when unset. */
  get(fieldName: string): unknown {
    const field = fieldOf(this.schema, fieldName);
    if (field === undefined) throw new Error(`${fieldName} is not a valid field name`);
    const value = this.values[field.index];
    return value === null || value === undefined ? (field.schema.defaultValue ?? null) : value;
  }

  /** The raw value without applying the default. */
  getWithoutDefault(fieldName: string): unknown {
    const field = fieldOf(this.schema, fieldName);
    if (field === undefined) throw new Error(`${fieldName} is not a valid field name`);
    return this.values[field.index] ?? null;
  }

  /** Throws when a required field is missing or a value does not fit its schema. */
  validate(): void {
    for (const field of this.schema.fields ?? [])
      validateValue(field.schema, this.get(field.name), field.name);
  }

  equals(other: unknown): boolean {
    return other instanceof Struct && other.schema === this.schema && deepEqual(this.values, other.values);
  }

  toString(): string {
    const parts = (this.schema.fields ?? []).map((f) => `${f.name}=${String(this.values[f.index])}`);
    return `Struct{${parts.join(',')}}`;
  }
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Struct) return a.equals(b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  return false;
}
