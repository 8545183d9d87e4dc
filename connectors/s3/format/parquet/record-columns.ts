import {
  Binary,
  Field,
  Int32,
  Int64,
  List,
  Struct as ArrowStruct,
  TimestampMillisecond,
  Utf8,
} from 'apache-arrow';
import {
  connectJsonText,
  schemasEqual,
  type Header,
  type Schema,
  type SinkRecord,
} from '../../../../runtime/api/index.js';
import { isValueOnly, type OutputField } from '../output-fields.js';
import { RecordNotWritable } from '../record-format.js';
import { arrowField } from './arrow-types.js';
import { arrowValue } from './arrow-values.js';

/**
 * How a key or value is stored: by its Connect schema, or, without one, as JSON text (any schemaless value)
 * or raw bytes (a schemaless Buffer, as ByteArrayConverter gives).
 */
export type Shape =
  | { readonly kind: 'schema'; readonly schema: Schema }
  | { readonly kind: 'json' }
  | { readonly kind: 'binary' };

/** Parquet key-value metadata naming each shape, so a reader restores the Connect schemas exactly. */
export const KEY_SHAPE_METADATA = 'sluice.connect.key';
export const VALUE_SHAPE_METADATA = 'sluice.connect.value';
/** `fields`: the value's struct fields are the columns; `columns`: one column per output field. */
export const LAYOUT_METADATA = 'sluice.layout';

const toJson = connectJsonText('BASE64');

/** The columns of one Parquet file, fixed by its first record, and how a record becomes a row of them. */
export class RecordColumns {
  readonly fields: readonly Field[];
  readonly metadata: ReadonlyMap<string, string>;
  private readonly valueFields: boolean;

  constructor(
    private readonly outputFields: readonly OutputField[],
    private readonly keyShape: Shape | null,
    private readonly valueShape: Shape,
  ) {
    this.valueFields =
      isValueOnly(outputFields) && valueShape.kind === 'schema' && valueShape.schema.type === 'struct';
    this.fields = this.valueFields
      ? (valueShape as { schema: Schema }).schema.fields!.map((f) => arrowField(f.name, f.schema))
      : outputFields.map((name) => this.column(name));
    const metadata = new Map([
      [LAYOUT_METADATA, this.valueFields ? 'fields' : 'columns'],
      [VALUE_SHAPE_METADATA, shapeText(valueShape)],
    ]);
    if (keyShape !== null) metadata.set(KEY_SHAPE_METADATA, shapeText(keyShape));
    this.metadata = metadata;
  }

  /** The columns a record would get as the first of a file. */
  static of(outputFields: readonly OutputField[], record: SinkRecord): RecordColumns {
    return new RecordColumns(
      outputFields,
      outputFields.includes('key') ? shapeOf(record.keySchema, record.key) : null,
      shapeOf(record.valueSchema, record.value),
    );
  }

  /** False when the record's key or value is stored differently (another schema, or schemaless kind). */
  fits(record: SinkRecord): boolean {
    return (
      fitsShape(this.valueShape, record.valueSchema, record.value) &&
      (this.keyShape === null || fitsShape(this.keyShape, record.keySchema, record.key))
    );
  }

  /** The record as a row object for a StructBuilder of `fields`; throws RecordNotWritable. */
  row(record: SinkRecord): Record<string, unknown> {
    if (this.valueFields) {
      const row = this.stored('value', this.valueShape, record.value);
      if (row === null)
        throw new RecordNotWritable(
          'value',
          'the value is null (a tombstone?): a row of the value struct needs a value; set behavior.on.null.values=ignore or drop tombstones',
        );
      return row as Record<string, unknown>;
    }
    const row: Record<string, unknown> = {};
    for (const name of this.outputFields) {
      switch (name) {
        case 'key':
          row['key'] = this.stored('key', this.keyShape!, record.key);
          break;
        case 'value':
          row['value'] = this.stored('value', this.valueShape, record.value);
          break;
        case 'timestamp':
          row['timestamp'] = record.timestamp === null ? null : new Date(record.timestamp);
          break;
        case 'headers':
          row['headers'] = record.headers.map((h) => ({ key: h.key, value: headerBytes(h) }));
          break;
        case 'offset':
          row['offset'] = BigInt(record.kafkaOffset);
          break;
        case 'partition':
          row['partition'] = record.kafkaPartition;
          break;
        case 'topic':
          row['topic'] = record.topic;
          break;
      }
    }
    return row;
  }

  private column(name: OutputField): Field {
    switch (name) {
      case 'key':
        return shapeField('key', this.keyShape!);
      case 'value':
        return shapeField('value', this.valueShape);
      case 'timestamp':
        return new Field('timestamp', new TimestampMillisecond('UTC'), true);
      case 'headers':
        return new Field('headers', new List(new Field('element', HEADER_TYPE, false)), false);
      case 'offset':
        return new Field('offset', new Int64(), false);
      case 'partition':
        return new Field('partition', new Int32(), false);
      case 'topic':
        return new Field('topic', new Utf8(), false);
    }
  }

  private stored(path: string, shape: Shape, value: unknown): unknown {
    switch (shape.kind) {
      case 'schema':
        return arrowValue(shape.schema, value, path);
      case 'binary':
        return value ?? null;
      case 'json':
        if (value === null || value === undefined) return null;
        try {
          return toJson(null, value);
        } catch (error) {
          throw new RecordNotWritable(
            path,
            `the ${path} cannot be written as JSON: ${(error as Error).message}`,
          );
        }
    }
  }
}

/** Header values are bytes, as Kafka holds them: strings as UTF-8, Buffers as they are, others as JSON. */
const HEADER_TYPE = new ArrowStruct([
  new Field('key', new Utf8(), false),
  new Field('value', new Binary(), true),
]);

function headerBytes(header: Header): Uint8Array | null {
  const value = header.value;
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  try {
    return Buffer.from(toJson(header.schema, value), 'utf8');
  } catch (error) {
    throw new RecordNotWritable(
      `headers.${header.key}`,
      `the header ${header.key} cannot be written as JSON: ${(error as Error).message}`,
    );
  }
}

function shapeOf(schema: Schema | null, value: unknown): Shape {
  if (schema !== null) return { kind: 'schema', schema };
  return value instanceof Uint8Array ? { kind: 'binary' } : { kind: 'json' };
}

function fitsShape(shape: Shape, schema: Schema | null, value: unknown): boolean {
  switch (shape.kind) {
    case 'schema':
      return schemasEqual(shape.schema, schema);
    case 'binary':
      return schema === null && (value === null || value === undefined || value instanceof Uint8Array);
    case 'json':
      return schema === null && !(value instanceof Uint8Array);
  }
}

function shapeField(name: string, shape: Shape): Field {
  switch (shape.kind) {
    case 'schema':
      return arrowField(name, shape.schema);
    case 'binary':
      return new Field(name, new Binary(), true);
    case 'json':
      return new Field(name, new Utf8(), true);
  }
}

function shapeText(shape: Shape): string {
  return shape.kind === 'schema' ? JSON.stringify({ schema: schemaJson(shape.schema) }) : shape.kind;
}

/** The schema as JSON, without defaults (a default may be a Buffer, bigint or Struct; readers do not need it). */
function schemaJson(schema: Schema): unknown {
  const { defaultValue: _default, fields, keySchema, valueSchema, ...rest } = schema;
  void _default;
  return {
    ...rest,
    ...(fields ? { fields: fields.map((f) => ({ name: f.name, schema: schemaJson(f.schema) })) } : {}),
    ...(keySchema ? { keySchema: schemaJson(keySchema) } : {}),
    ...(valueSchema ? { valueSchema: schemaJson(valueSchema) } : {}),
  };
}
