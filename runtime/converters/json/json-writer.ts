import { LogicalTypeNames, type Schema } from '../../api/schema.js';
import { schemasEqual } from '../../api/schema-validation.js';
import { Struct } from '../../api/struct.js';
import { DataProblem, describeJsType } from '../conversion-error.js';
import {
  decimalScaleOf,
  unscaledAtScale,
  unscaledToBytes,
  decimalFromJs,
  rescaleExactly,
} from '../decimal.js';
import { formatJavaBigDecimal } from '../java-number-format.js';
import { dateToEpochDays, timeToMillisOfDay, timestampToMillis } from '../temporal.js';
import { base64Json, doubleJson, floatJson, longJson, quoteJson } from './json-text.js';

export type DecimalFormat = 'BASE64' | 'NUMERIC';

export interface JsonWriterOptions {
  readonly decimalFormat: DecimalFormat;
  readonly replaceNullWithDefault: boolean;
}

const CONNECT_TYPE_NAMES: Readonly<Record<Schema['type'], string>> = {
  int8: 'int8',
  int16: 'int16',
  int32: 'int32',
  int64: 'int64',
  float32: 'float',
  float64: 'double',
  boolean: 'boolean',
  string: 'string',
  bytes: 'bytes',
  array: 'array',
  map: 'map',
  struct: 'struct',
};

/**
 * Writes Connect data as JSON text, byte for byte like Connect's JsonConverter (Jackson, compact).
 * Builds strings directly instead of a node tree: this runs for every record.
 */
export class JsonWriter {
  // Schema JSON depends only on the schema object and this writer's options; schemas are frozen.
  private readonly schemaJsonCache = new WeakMap<Schema, string>();

  constructor(private readonly options: JsonWriterOptions) {}

  /** `{"schema":...,"payload":...}` */
  envelope(schema: Schema | null, value: unknown): string {
    const schemaJson = schema === null ? 'null' : this.schemaJson(schema);
    return `{"schema":${schemaJson},"payload":${this.value(schema, value)}}`;
  }

  /** The schema in Connect's JSON form, with its field order: type, items|keys+values|fields, optional, name, version, doc, parameters, default. */
  schemaJson(schema: Schema): string {
    const cached = this.schemaJsonCache.get(schema);
    if (cached !== undefined) return cached;
    let json = `{"type":"${CONNECT_TYPE_NAMES[schema.type]}"`;
    switch (schema.type) {
      case 'array':
        json += `,"items":${this.requiredSchemaJson(schema.valueSchema, 'Array schema did not specify the element type')}`;
        break;
      case 'map':
        json += `,"keys":${this.requiredSchemaJson(schema.keySchema, 'Map schema did not specify the key type')}`;
        json += `,"values":${this.requiredSchemaJson(schema.valueSchema, 'Map schema did not specify the value type')}`;
        break;
      case 'struct': {
        const fields = (schema.fields ?? []).map((field) => {
          const fieldJson = this.schemaJson(field.schema);
          return `${fieldJson.slice(0, -1)},"field":${quoteJson(field.name)}}`;
        });
        json += `,"fields":[${fields.join(',')}]`;
        break;
      }
      default:
        break;
    }
    json += `,"optional":${schema.optional}`;
    if (schema.name !== undefined) json += `,"name":${quoteJson(schema.name)}`;
    if (schema.version !== undefined) json += `,"version":${schema.version}`;
    if (schema.doc !== undefined) json += `,"doc":${quoteJson(schema.doc)}`;
    if (schema.parameters !== undefined) {
      const params = Object.entries(schema.parameters).map(([k, v]) => `${quoteJson(k)}:${quoteJson(v)}`);
      json += `,"parameters":{${params.join(',')}}`;
    }
    if (schema.defaultValue !== undefined && schema.defaultValue !== null)
      json += `,"default":${this.value(schema, schema.defaultValue)}`;
    json += '}';
    this.schemaJsonCache.set(schema, json);
    return json;
  }

  private requiredSchemaJson(schema: Schema | undefined, problem: string): string {
    if (schema === undefined) throw new DataProblem(problem);
    return this.schemaJson(schema);
  }

  /** The payload JSON of `value` under `schema` (null schema: inferred from the JS value). */
  value(schema: Schema | null | undefined, value: unknown): string {
    if (value === null || value === undefined) {
      if (schema === null || schema === undefined) return 'null';
      if (
        this.options.replaceNullWithDefault &&
        schema.defaultValue !== undefined &&
        schema.defaultValue !== null
      ) {
        return this.value(schema, schema.defaultValue);
      }
      if (schema.optional) return 'null';
      throw new DataProblem(
        'Conversion error: null value for field that is required and has no default value',
      );
    }
    if (schema === null || schema === undefined) return this.schemalessValue(value);
    if (schema.name !== undefined) {
      switch (schema.name) {
        case LogicalTypeNames.DECIMAL:
          return this.decimal(schema, value);
        case LogicalTypeNames.DATE:
          return String(dateToEpochDays(value));
        case LogicalTypeNames.TIME:
          return String(timeToMillisOfDay(value));
        case LogicalTypeNames.TIMESTAMP:
          return String(timestampToMillis(value));
      }
    }
    switch (schema.type) {
      case 'int8':
      case 'int16':
      case 'int32':
        if (typeof value === 'number' && Number.isInteger(value)) return String(value);
        break;
      case 'int64':
        if (typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value)))
          return longJson(value);
        break;
      case 'float32':
        if (typeof value === 'number') return floatJson(value);
        break;
      case 'float64':
        if (typeof value === 'number') return doubleJson(value);
        break;
      case 'boolean':
        if (typeof value === 'boolean') return value ? 'true' : 'false';
        break;
      case 'string':
        if (typeof value === 'string') return quoteJson(value);
        break;
      case 'bytes':
        if (value instanceof Uint8Array) return base64Json(value);
        break;
      case 'array':
        if (Array.isArray(value)) return this.array(schema.valueSchema ?? null, value);
        break;
      case 'map':
        if (value instanceof Map) return this.map(schema, value);
        if (isPlainObject(value) && schema.keySchema?.type === 'string')
          return this.object(schema.valueSchema ?? null, value);
        break;
      case 'struct':
        if (value instanceof Struct) return this.struct(schema, value);
        break;
    }
    throw new DataProblem(`Invalid type for ${schema.type.toUpperCase()}: ${describeJsType(value)}`);
  }

  private decimal(schema: Schema, value: unknown): string {
    const scale = decimalScaleOf(schema.parameters);
    if (this.options.decimalFormat === 'BASE64')
      return base64Json(unscaledToBytes(unscaledAtScale(value, scale)));
    // NUMERIC writes BigDecimal.toString(); a value with more digits than the scale keeps its own scale, as in Connect.
    const decimal = decimalFromJs(value);
    const atSchemaScale = rescaleExactly(decimal, scale);
    return atSchemaScale === null
      ? formatJavaBigDecimal(decimal.unscaled, decimal.scale)
      : formatJavaBigDecimal(atSchemaScale, scale);
  }

  private array(itemSchema: Schema | null, items: readonly unknown[]): string {
    let json = '[';
    for (let i = 0; i < items.length; i++) {
      if (i > 0) json += ',';
      json += this.value(itemSchema, items[i]);
    }
    return json + ']';
  }

  /** String-keyed maps are JSON objects; any other key type is an array of [key, value] pairs. */
  private map(schema: Schema | null, map: ReadonlyMap<unknown, unknown>): string {
    const keySchema = schema?.keySchema ?? null;
    const valueSchema = schema?.valueSchema ?? null;
    let objectMode: boolean;
    if (schema === null) {
      objectMode = true;
      for (const key of map.keys()) {
        if (typeof key !== 'string') {
          objectMode = false;
          break;
        }
      }
    } else objectMode = keySchema?.type === 'string';
    let json = objectMode ? '{' : '[';
    let first = true;
    for (const [key, entryValue] of map) {
      if (!first) json += ',';
      first = false;
      if (objectMode) {
        json += `${typeof key === 'string' ? quoteJson(key) : quoteJson(String(key))}:${this.value(valueSchema, entryValue)}`;
      } else {
        json += `[${this.value(keySchema, key)},${this.value(valueSchema, entryValue)}]`;
      }
    }
    return json + (objectMode ? '}' : ']');
  }

  private object(valueSchema: Schema | null, object: Readonly<Record<string, unknown>>): string {
    let json = '{';
    let first = true;
    for (const key in object) {
      if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
      if (!first) json += ',';
      first = false;
      json += `${quoteJson(key)}:${this.value(valueSchema, object[key])}`;
    }
    return json + '}';
  }

  private struct(schema: Schema, struct: Struct): string {
    if (struct.schema !== schema && !schemasEqual(struct.schema, schema))
      throw new DataProblem('Mismatching schema.');
    let json = '{';
    const fields = schema.fields ?? [];
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      if (i > 0) json += ',';
      json += `${quoteJson(field.name)}:${this.value(field.schema, struct.getWithoutDefault(field.name))}`;
    }
    return json + '}';
  }

  /** Schemaless data: the JSON type follows the JS value, as Connect infers it from the Java class. */
  private schemalessValue(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return quoteJson(value);
      case 'boolean':
        return value ? 'true' : 'false';
      case 'number':
        return Number.isSafeInteger(value) ? String(value) : doubleJson(value);
      case 'bigint':
        return longJson(value);
    }
    if (value instanceof Uint8Array) return base64Json(value);
    if (Array.isArray(value)) return this.array(null, value);
    if (value instanceof Map) return this.map(null, value);
    // Connect cannot write a Struct without a schema; the struct carries its own, so Sluice uses it.
    if (value instanceof Struct) return this.struct(value.schema, value);
    if (isPlainObject(value)) return this.object(null, value);
    throw new DataProblem(
      `JS value of type ${describeJsType(value)} does not have corresponding schema type.`,
    );
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
