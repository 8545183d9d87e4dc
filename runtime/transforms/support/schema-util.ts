import { SchemaBuilder, type Schema } from '../../api/schema.js';
import type { Struct } from '../../api/struct.js';

/**
 * Connect's SchemaUtil.copySchemaBasics: name, version, doc and parameters (not optionality or default).
 * Without a builder, one of the source's type is made (arrays and maps keep their element schemas).
 */
export function copySchemaBasics(source: Schema, builder?: SchemaBuilder): SchemaBuilder {
  const target =
    builder ??
    new SchemaBuilder(source.type, source.type === 'map' ? source.keySchema : undefined, source.valueSchema);
  if (source.name !== undefined) target.name(source.name);
  if (source.version !== undefined) target.version(source.version);
  if (source.doc !== undefined) target.doc(source.doc);
  for (const [key, value] of Object.entries(source.parameters ?? {})) target.parameter(key, value);
  return target;
}

/** Reads a struct field with or without its schema default, as Connect's `replace.null.with.default` asks. */
export function fieldValue(struct: Struct, fieldName: string, replaceNullWithDefault: boolean): unknown {
  return replaceNullWithDefault ? struct.get(fieldName) : struct.getWithoutDefault(fieldName);
}

/**
 * Derived schemas per input schema, like Connect's SynchronizedCache. Keyed by identity: records of one
 * stream share their schema object, and a WeakMap lets unused schemas be collected.
 */
export class SchemaCache {
  private readonly derived = new WeakMap<Schema, Schema>();

  getOrCompute(source: Schema, derive: (source: Schema) => Schema): Schema {
    let result = this.derived.get(source);
    if (result === undefined) {
      result = derive(source);
      this.derived.set(source, result);
    }
    return result;
  }
}
