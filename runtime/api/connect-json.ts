import { JsonWriter, type DecimalFormat } from '../converters/json/json-writer.js';
import type { Schema } from './schema.js';

export type { DecimalFormat };

/**
 * Connect data as the JSON text JsonConverter writes with `schemas.enable=false`, for connectors that store
 * records as JSON (the S3 sink's JSON lines). Plugins may not import the converters themselves.
 */
export function connectJsonText(
  decimalFormat: DecimalFormat,
): (schema: Schema | null, value: unknown) => string {
  const writer = new JsonWriter({ decimalFormat, replaceNullWithDefault: true });
  return (schema, value) => writer.value(schema, value);
}
