import { gunzipSync, gzipSync } from 'node:zlib';
import {
  connectJsonText,
  type DecimalFormat,
  type Header,
  type Schema,
  type SinkRecord,
} from '../../../runtime/api/index.js';
import { isValueOnly, type OutputField, type ValueEncoding } from './output-fields.js';
import {
  RecordNotWritable,
  type RecordFormat,
  type RecordWriter,
  type StoredRecord,
} from './record-format.js';

export interface JsonLinesOptions {
  readonly outputFields: readonly OutputField[];
  readonly valueEncoding: ValueEncoding;
  readonly decimalFormat: DecimalFormat;
  readonly gzip: boolean;
}

/**
 * One JSON document per line. With `format.output.fields=value` (the default) a line is the value as
 * JsonConverter writes it without schemas, as Confluent's JsonFormat does; otherwise a line is an object of the
 * chosen fields, headers as `[{"key":…,"value":…}]` so null and repeated headers survive. With gzip each drain
 * is its own gzip member: concatenated members are one valid gzip file.
 */
export class JsonLinesFormat implements RecordFormat {
  readonly extension: string;
  private readonly toJson: (schema: Schema | null, value: unknown) => string;

  constructor(private readonly options: JsonLinesOptions) {
    this.extension = options.gzip ? '.json.gz' : '.json';
    this.toJson = connectJsonText(options.decimalFormat);
  }

  newWriter(): RecordWriter {
    return new JsonLinesWriter((record) => this.line(record), this.options.gzip);
  }

  async *read(bytes: Uint8Array): AsyncIterable<StoredRecord> {
    const text = Buffer.from(this.options.gzip ? gunzipSync(bytes) : bytes).toString('utf8');
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (line.trim() !== '') yield this.parse(line);
    }
  }

  private line(record: SinkRecord): string {
    if (isValueOnly(this.options.outputFields))
      return this.encoded('value', record.valueSchema, record.value);
    const parts: string[] = [];
    for (const field of this.options.outputFields) {
      switch (field) {
        case 'key':
          parts.push(`"key":${this.encoded('key', record.keySchema, record.key)}`);
          break;
        case 'value':
          parts.push(`"value":${this.encoded('value', record.valueSchema, record.value)}`);
          break;
        case 'timestamp':
          parts.push(`"timestamp":${record.timestamp === null ? 'null' : record.timestamp}`);
          break;
        case 'headers':
          parts.push(`"headers":[${record.headers.map((h) => this.header(h)).join(',')}]`);
          break;
        case 'offset':
          parts.push(`"offset":${record.kafkaOffset}`);
          break;
        case 'partition':
          parts.push(`"partition":${record.kafkaPartition}`);
          break;
        case 'topic':
          parts.push(`"topic":${JSON.stringify(record.topic)}`);
          break;
      }
    }
    return `{${parts.join(',')}}`;
  }

  private header(header: Header): string {
    return `{"key":${JSON.stringify(header.key)},"value":${this.encoded(`header ${header.key}`, header.schema, header.value)}}`;
  }

  private encoded(field: string, schema: Schema | null, value: unknown): string {
    if (this.options.valueEncoding === 'base64') {
      if (value === null || value === undefined) return 'null';
      if (value instanceof Uint8Array) return `"${Buffer.from(value).toString('base64')}"`;
      if (typeof value === 'string') return `"${Buffer.from(value, 'utf8').toString('base64')}"`;
      throw new RecordNotWritable(
        field,
        `format.output.fields.value.encoding=base64 stores bytes, but the ${field} is ${describe(value)}: use ByteArrayConverter (or StringConverter) for it, or encoding none`,
      );
    }
    try {
      return this.toJson(schema, value);
    } catch (error) {
      throw new RecordNotWritable(
        field,
        `the ${field} cannot be written as JSON: ${(error as Error).message}`,
      );
    }
  }

  private parse(line: string): StoredRecord {
    const json: unknown = JSON.parse(line);
    if (isValueOnly(this.options.outputFields)) return stored({ value: this.decoded(json) });
    const object = (json ?? {}) as Record<string, unknown>;
    const headers = Array.isArray(object['headers'])
      ? (object['headers'] as { key: string; value: unknown }[]).map((h) => ({
          key: h.key,
          schema: null,
          value: this.decoded(h.value),
        }))
      : [];
    return stored({
      key: this.decoded(object['key'] ?? null),
      value: this.decoded(object['value'] ?? null),
      timestamp: typeof object['timestamp'] === 'number' ? object['timestamp'] : null,
      headers,
      topic: typeof object['topic'] === 'string' ? object['topic'] : null,
      kafkaPartition: typeof object['partition'] === 'number' ? object['partition'] : null,
      kafkaOffset: typeof object['offset'] === 'number' ? object['offset'] : null,
    });
  }

  private decoded(value: unknown): unknown {
    if (this.options.valueEncoding === 'base64' && typeof value === 'string')
      return Buffer.from(value, 'base64');
    return value;
  }
}

function stored(parts: Partial<StoredRecord>): StoredRecord {
  return {
    keySchema: null,
    key: null,
    valueSchema: null,
    value: null,
    timestamp: null,
    headers: [],
    topic: null,
    kafkaPartition: null,
    kafkaOffset: null,
    ...parts,
  };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  return value === null ? 'null' : `a ${typeof value === 'object' ? value.constructor.name : typeof value}`;
}

class JsonLinesWriter implements RecordWriter {
  private lines: string[] = [];
  private held = 0;

  constructor(
    private readonly lineOf: (record: SinkRecord) => string,
    private readonly gzip: boolean,
  ) {}

  get bufferedBytes(): number {
    return this.held;
  }

  accepts(): boolean {
    return true;
  }

  write(record: SinkRecord): void {
    const line = this.lineOf(record);
    this.lines.push(line);
    this.held += line.length + 1;
  }

  async drain(): Promise<Uint8Array> {
    if (this.lines.length === 0) return new Uint8Array(0);
    const text = Buffer.from(this.lines.join('\n') + '\n', 'utf8');
    this.lines = [];
    this.held = 0;
    return this.gzip ? gzipSync(text) : text;
  }

  finish(): Promise<Uint8Array> {
    return this.drain();
  }

  discard(): void {
    this.lines = [];
    this.held = 0;
  }
}
