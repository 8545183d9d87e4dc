import { tableFromIPC, type Field, type Table } from 'apache-arrow';
import { readParquet } from 'parquet-wasm';
import {
  LogicalTypeNames,
  SchemaBuilder,
  Struct,
  type Header,
  type Schema,
} from '../../../../runtime/api/index.js';
import { isValueOnly, type OutputField } from '../output-fields.js';
import type { StoredRecord } from '../record-format.js';
import { connectSchema, decimalScale } from './arrow-types.js';
import { decimalText, fromWords } from './decimal128.js';
import { KEY_SHAPE_METADATA, LAYOUT_METADATA, VALUE_SHAPE_METADATA, type Shape } from './record-columns.js';

/**
 * The records of a Parquet file, with the Connect schemas the writer stored in the file's metadata, or, for a
 * file another tool wrote, schemas rebuilt from the Arrow columns. Values come back as the JSON converter
 * gives them to a sink: int64 as a number when it is a safe integer (else bigint), Decimal as a decimal
 * string, Date/Time/Timestamp as Date, bytes as Buffer.
 */
export function* parquetRecords(
  bytes: Uint8Array,
  outputFields: readonly OutputField[],
): Generator<StoredRecord> {
  const wasm = readParquet(bytes);
  const table: Table = tableFromIPC(wasm.intoIPCStream());
  const metadata = table.schema.metadata;
  const fieldsLayout =
    metadata.get(LAYOUT_METADATA) === 'fields' ||
    (!metadata.has(LAYOUT_METADATA) && isValueOnly(outputFields));
  if (fieldsLayout) {
    const schema = valueStructSchema(metadata.get(VALUE_SHAPE_METADATA), table.schema.fields);
    for (const row of table) yield valueRecord(schema, connectValue(schema, row));
    return;
  }
  const column = (name: string): Field | undefined => table.schema.fields.find((f) => f.name === name);
  const keyShape = shapeOf(metadata.get(KEY_SHAPE_METADATA), column('key'));
  const valueShape = shapeOf(metadata.get(VALUE_SHAPE_METADATA), column('value'));
  for (const row of table) {
    const get = (name: string): unknown => (row as unknown as Record<string, unknown>)[name] ?? null;
    const timestamp = get('timestamp');
    const partition = get('partition');
    const offset = get('offset');
    const topic = get('topic');
    yield {
      keySchema: keyShape?.kind === 'schema' ? keyShape.schema : null,
      key: keyShape === null ? null : storedValue(keyShape, get('key')),
      valueSchema: valueShape?.kind === 'schema' ? valueShape.schema : null,
      value: valueShape === null ? null : storedValue(valueShape, get('value')),
      timestamp: timestamp === null ? null : Number(timestamp),
      headers: headersOf(get('headers')),
      topic: typeof topic === 'string' ? topic : null,
      kafkaPartition: partition === null ? null : Number(partition),
      kafkaOffset: offset === null ? null : Number(offset),
    };
  }
}

function valueRecord(valueSchema: Schema, value: unknown): StoredRecord {
  return {
    keySchema: null,
    key: null,
    valueSchema,
    value,
    timestamp: null,
    headers: [],
    topic: null,
    kafkaPartition: null,
    kafkaOffset: null,
  };
}

function valueStructSchema(stored: string | undefined, fields: readonly Field[]): Schema {
  const shape = stored === undefined ? null : parseShape(stored);
  if (shape?.kind === 'schema') return shape.schema;
  const builder = SchemaBuilder.struct();
  for (const field of fields) builder.field(field.name, connectSchema(field));
  return builder.build();
}

function shapeOf(stored: string | undefined, column: Field | undefined): Shape | null {
  if (stored !== undefined) return parseShape(stored);
  return column === undefined ? null : { kind: 'schema', schema: connectSchema(column) };
}

function parseShape(text: string): Shape {
  if (text === 'json' || text === 'binary') return { kind: text };
  return { kind: 'schema', schema: schemaFromJson((JSON.parse(text) as { schema: unknown }).schema) };
}

interface SchemaJson {
  type: Schema['type'];
  optional: boolean;
  name?: string;
  version?: number;
  doc?: string;
  parameters?: Record<string, string>;
  fields?: { name: string; schema: SchemaJson }[];
  keySchema?: SchemaJson;
  valueSchema?: SchemaJson;
}

function schemaFromJson(json: unknown): Schema {
  const s = json as SchemaJson;
  const builder =
    s.type === 'array'
      ? SchemaBuilder.array(schemaFromJson(s.valueSchema))
      : s.type === 'map'
        ? SchemaBuilder.map(schemaFromJson(s.keySchema), schemaFromJson(s.valueSchema))
        : new SchemaBuilder(s.type);
  if (s.optional) builder.optional();
  if (s.name !== undefined) builder.name(s.name);
  if (s.version !== undefined) builder.version(s.version);
  if (s.doc !== undefined) builder.doc(s.doc);
  for (const [key, value] of Object.entries(s.parameters ?? {})) builder.parameter(key, value);
  for (const field of s.fields ?? []) builder.field(field.name, schemaFromJson(field.schema));
  return builder.build();
}

function storedValue(shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (shape.kind) {
    case 'schema':
      return connectValue(shape.schema, value);
    case 'binary':
      return Buffer.from(value as Uint8Array);
    case 'json':
      return JSON.parse(value as string) as unknown;
  }
}

function headersOf(value: unknown): Header[] {
  if (value === null) return [];
  return [...(value as Iterable<{ key: string; value: Uint8Array | null }>)].map((h) => ({
    key: h.key,
    schema: null,
    value: h.value === null ? null : Buffer.from(h.value),
  }));
}

/** An Arrow cell as the Connect value of `schema`. */
export function connectValue(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.name) {
    case LogicalTypeNames.DECIMAL:
      return decimalText(fromWords(value as Uint32Array), decimalScale(schema));
    case LogicalTypeNames.DATE:
    case LogicalTypeNames.TIME:
    case LogicalTypeNames.TIMESTAMP:
      return new Date(Number(value));
  }
  switch (schema.type) {
    case 'int64': {
      const big = BigInt(value as bigint | number);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(big)
        : big;
    }
    case 'int8':
    case 'int16':
    case 'int32':
    case 'float32':
    case 'float64':
      return Number(value);
    case 'bytes':
      return Buffer.from(value as Uint8Array);
    case 'array':
      return [...(value as Iterable<unknown>)].map((item) => connectValue(schema.valueSchema!, item));
    case 'map': {
      const map = new Map<unknown, unknown>();
      for (const [key, item] of value as Iterable<[unknown, unknown]>)
        map.set(connectValue(schema.keySchema!, key), connectValue(schema.valueSchema!, item));
      return map;
    }
    case 'struct': {
      const struct = new Struct(schema);
      const row = value as Record<string, unknown>;
      for (const field of schema.fields ?? [])
        struct.put(field.name, connectValue(field.schema, row[field.name]));
      return struct;
    }
    default:
      return value;
  }
}
