import { LogicalTypeNames, SchemaBuilder, type Schema } from '../../api/schema.js';
import { Struct } from '../../api/struct.js';
import { DataProblem } from '../conversion-error.js';
import { bytesToUnscaled, decimalScaleOf, parseDecimalText, toDecimalString } from '../decimal.js';
import { epochDaysToDate, millisOfDayToTime } from '../temporal.js';
import { isJsonObject, jsonNodeType, PreciseNumber, type JsonTree } from './json-tree.js';

const SCHEMA_TYPES: Readonly<Record<string, () => SchemaBuilder>> = {
  boolean: () => SchemaBuilder.bool(),
  int8: () => SchemaBuilder.int8(),
  int16: () => SchemaBuilder.int16(),
  int32: () => SchemaBuilder.int32(),
  int64: () => SchemaBuilder.int64(),
  float: () => SchemaBuilder.float32(),
  double: () => SchemaBuilder.float64(),
  bytes: () => SchemaBuilder.bytes(),
  string: () => SchemaBuilder.string(),
};

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Reads Connect data out of parsed JSON, following Connect's JsonConverter.convertToConnect/asConnectSchema. */
export class JsonReader {
  constructor(private readonly replaceNullWithDefault: boolean) {}

  /** Connect's asConnectSchema. */
  schema(node: JsonTree | undefined): Schema | null {
    if (node === null || node === undefined) return null;
    if (!isJsonObject(node)) throw new DataProblem("Schema must contain 'type' field");
    const typeName = node['type'];
    if (typeof typeName !== 'string') throw new DataProblem("Schema must contain 'type' field");
    const builder = this.builderFor(typeName, node);
    if (node['optional'] === true) builder.optional();
    const name = node['name'];
    if (typeof name === 'string') builder.name(name);
    const version = node['version'];
    if (typeof version === 'number' && Number.isInteger(version)) builder.version(version);
    const doc = node['doc'];
    if (typeof doc === 'string') builder.doc(doc);
    const parameters = node['parameters'];
    if (isJsonObject(parameters)) {
      for (const key of Object.keys(parameters)) {
        const value = parameters[key];
        if (typeof value !== 'string') throw new DataProblem('Schema parameters must have string values.');
        builder.parameter(key, value);
      }
    }
    if (Object.prototype.hasOwnProperty.call(node, 'default')) {
      // The default is read with the schema it belongs to (without the default itself).
      builder.defaultValue(this.value(builder.build(), node['default']));
    }
    return builder.build();
  }

  private builderFor(typeName: string, node: { [key: string]: JsonTree }): SchemaBuilder {
    const primitive = SCHEMA_TYPES[typeName];
    if (primitive !== undefined && Object.prototype.hasOwnProperty.call(SCHEMA_TYPES, typeName))
      return primitive();
    switch (typeName) {
      case 'array': {
        const items = node['items'];
        if (items === null || items === undefined)
          throw new DataProblem('Array schema did not specify the element type');
        return SchemaBuilder.array(this.requiredSchema(items));
      }
      case 'map': {
        const keys = node['keys'];
        if (keys === undefined) throw new DataProblem('Map schema did not specify the key type');
        const values = node['values'];
        if (values === undefined) throw new DataProblem('Map schema did not specify the value type');
        return SchemaBuilder.map(this.requiredSchema(keys), this.requiredSchema(values));
      }
      case 'struct': {
        const builder = SchemaBuilder.struct();
        const fields = node['fields'];
        if (!Array.isArray(fields))
          throw new DataProblem('Struct schema\'s "fields" argument is not an array.');
        for (const field of fields) {
          const fieldName = isJsonObject(field) ? field['field'] : undefined;
          if (typeof fieldName !== 'string')
            throw new DataProblem("Struct schema's field name not specified properly");
          builder.field(fieldName, this.requiredSchema(field));
        }
        return builder;
      }
      default:
        throw new DataProblem(`Unknown schema type: ${typeName}`);
    }
  }

  private requiredSchema(node: JsonTree): Schema {
    const schema = this.schema(node);
    if (schema === null) throw new DataProblem('Nested schemas may not be null');
    return schema;
  }

  /** Connect's convertToConnect; a null schema yields schemaless JS values. */
  value(schema: Schema | null, node: JsonTree | undefined): unknown {
    if (schema === null) return schemalessValue(node);
    if (node === null || node === undefined) {
      if (this.replaceNullWithDefault && schema.defaultValue !== undefined && schema.defaultValue !== null)
        return schema.defaultValue;
      if (schema.optional) return null;
      throw new DataProblem(`Invalid null value for required ${schema.type.toUpperCase()} field`);
    }
    if (schema.name !== undefined) {
      switch (schema.name) {
        case LogicalTypeNames.DECIMAL:
          return decimalValue(schema, node);
        case LogicalTypeNames.DATE:
          return epochDaysToDate(int32Node(node, 'Date', 'integer'));
        case LogicalTypeNames.TIME:
          return millisOfDayToTime(int32Node(node, 'Time', 'integer'));
        case LogicalTypeNames.TIMESTAMP:
          return new Date(Number(integralNode(node)));
      }
    }
    switch (schema.type) {
      case 'boolean':
        if (typeof node === 'boolean') return node;
        break;
      case 'int8':
        return (truncatedInt32(node, schema) << 24) >> 24;
      case 'int16':
        return (truncatedInt32(node, schema) << 16) >> 16;
      case 'int32':
        return truncatedInt32(node, schema);
      case 'int64':
        return int64Value(node);
      case 'float32':
      case 'float64':
        return floatValue(node, schema);
      case 'string':
        if (typeof node === 'string') return node;
        break;
      case 'bytes':
        if (typeof node === 'string') return decodeBase64(node, 'Invalid bytes field');
        break;
      case 'array':
        if (Array.isArray(node)) {
          const itemSchema = schema.valueSchema ?? null;
          const result = new Array<unknown>(node.length);
          for (let i = 0; i < node.length; i++) result[i] = this.value(itemSchema, node[i]);
          return result;
        }
        break;
      case 'map':
        return this.mapValue(schema, node);
      case 'struct':
        return this.structValue(schema, node);
    }
    throw new DataProblem(
      `Invalid value for ${schema.type.toUpperCase()} field: found ${jsonNodeType(node)}`,
    );
  }

  private mapValue(schema: Schema, node: JsonTree): Map<unknown, unknown> {
    const keySchema = schema.keySchema ?? null;
    const valueSchema = schema.valueSchema ?? null;
    const result = new Map<unknown, unknown>();
    if (keySchema === null || keySchema.type === 'string') {
      if (!isJsonObject(node))
        throw new DataProblem(
          `Maps with string fields should be encoded as JSON objects, but found ${jsonNodeType(node)}`,
        );
      for (const key of Object.keys(node)) result.set(key, this.value(valueSchema, node[key]));
      return result;
    }
    if (!Array.isArray(node))
      throw new DataProblem(
        `Maps with non-string fields should be encoded as JSON array of tuples, but found ${jsonNodeType(node)}`,
      );
    for (const entry of node) {
      if (!Array.isArray(entry))
        throw new DataProblem(`Found invalid map entry instead of array tuple: ${jsonNodeType(entry)}`);
      if (entry.length !== 2)
        throw new DataProblem(`Found invalid map entry, expected length 2 but found :${entry.length}`);
      result.set(this.value(keySchema, entry[0]), this.value(valueSchema, entry[1]));
    }
    return result;
  }

  private structValue(schema: Schema, node: JsonTree): Struct {
    if (!isJsonObject(node))
      throw new DataProblem(`Structs should be encoded as JSON objects, but found ${jsonNodeType(node)}`);
    const struct = new Struct(schema);
    for (const field of schema.fields ?? [])
      struct.put(field.name, this.value(field.schema, node[field.name]));
    return struct;
  }
}

/** Schemaless JSON: objects stay plain objects, integers beyond 2^53 stay bigint, over-precise fractions become numbers. */
function schemalessValue(node: JsonTree | undefined): unknown {
  if (node === undefined) return null;
  if (node instanceof PreciseNumber) return node.toNumber();
  if (Array.isArray(node)) return node.map(schemalessValue);
  if (isJsonObject(node)) {
    let needsCopy = false;
    for (const key in node) {
      const v = node[key];
      if (typeof v === 'object' && v !== null) {
        needsCopy = true;
        break;
      }
    }
    if (!needsCopy) return node;
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(node)) {
      const v = schemalessValue(node[key]);
      if (key === '__proto__')
        Object.defineProperty(result, key, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else result[key] = v;
    }
    return result;
  }
  return node;
}

function numericText(node: JsonTree): string | null {
  if (typeof node === 'number') return Number.isFinite(node) ? String(node) : null;
  if (typeof node === 'bigint') return node.toString();
  if (node instanceof PreciseNumber) return node.text;
  return null;
}

function decimalValue(schema: Schema, node: JsonTree): string {
  const scale = decimalScaleOf(schema.parameters);
  const text = numericText(node);
  if (text !== null) {
    const parsed = parseDecimalText(text);
    if (parsed === null) throw new DataProblem(`Invalid number for Decimal field: ${text}`);
    // Connect keeps the scale of the JSON text; Sluice pads to at least the schema's scale so values look alike.
    const targetScale = Math.max(parsed.scale, scale, 0);
    return toDecimalString(parsed.unscaled * 10n ** BigInt(targetScale - parsed.scale), targetScale);
  }
  if (typeof node === 'string') {
    try {
      return toDecimalString(bytesToUnscaled(decodeBase64(node, 'Invalid bytes for Decimal field')), scale);
    } catch (error) {
      throw new DataProblem('Invalid bytes for Decimal field', { cause: error });
    }
  }
  throw new DataProblem(
    `Invalid type for Decimal, underlying representation should be numeric or bytes but was ${jsonNodeType(node)}`,
  );
}

function int32Node(node: JsonTree, logicalName: string, expected: string): number {
  if (typeof node === 'number' && Number.isInteger(node) && node >= INT32_MIN && node <= INT32_MAX)
    return node;
  throw new DataProblem(
    `Invalid type for ${logicalName}, underlying representation should be ${expected} but was ${jsonNodeType(node)}`,
  );
}

function integralNode(node: JsonTree): number | bigint {
  if (typeof node === 'bigint' || (typeof node === 'number' && Number.isInteger(node))) return node;
  throw new DataProblem(
    `Invalid type for Timestamp, underlying representation should be integral but was ${jsonNodeType(node)}`,
  );
}

/** Jackson's intValue(): fractions truncate, wider integers wrap like a Java cast. */
function truncatedInt32(node: JsonTree, schema: Schema): number {
  if (typeof node === 'number') return Math.trunc(node) | 0;
  if (typeof node === 'bigint') return Number(BigInt.asIntN(32, node));
  if (node instanceof PreciseNumber) return Math.trunc(node.toNumber()) | 0;
  throw new DataProblem(
    `Invalid value for ${schema.type.toUpperCase()} field: expected a number but found ${jsonNodeType(node)}`,
  );
}

function int64Value(node: JsonTree): number | bigint {
  if (typeof node === 'number') {
    const whole = Math.trunc(node);
    return Number.isSafeInteger(whole) ? whole : BigInt.asIntN(64, BigInt(whole));
  }
  if (typeof node === 'bigint') return BigInt.asIntN(64, node);
  if (node instanceof PreciseNumber) {
    const parsed = parseDecimalText(node.text);
    if (parsed !== null) {
      const whole =
        parsed.scale <= 0
          ? parsed.unscaled * 10n ** BigInt(-parsed.scale)
          : parsed.unscaled / 10n ** BigInt(parsed.scale);
      const wrapped = BigInt.asIntN(64, whole);
      return wrapped >= BigInt(Number.MIN_SAFE_INTEGER) && wrapped <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(wrapped)
        : wrapped;
    }
  }
  throw new DataProblem(`Invalid value for INT64 field: expected a number but found ${jsonNodeType(node)}`);
}

function floatValue(node: JsonTree, schema: Schema): number {
  if (typeof node === 'number') return node;
  if (typeof node === 'bigint') return Number(node);
  if (node instanceof PreciseNumber) return node.toNumber();
  // Jackson writes non-finite doubles as these strings.
  if (node === 'NaN') return NaN;
  if (node === 'Infinity') return Infinity;
  if (node === '-Infinity') return -Infinity;
  throw new DataProblem(
    `Invalid value for ${schema.type.toUpperCase()} field: expected a number but found ${jsonNodeType(node)}`,
  );
}

function decodeBase64(text: string, problem: string): Buffer {
  if (!BASE64.test(text)) throw new DataProblem(`${problem}: not valid base64`);
  return Buffer.from(text, 'base64');
}
