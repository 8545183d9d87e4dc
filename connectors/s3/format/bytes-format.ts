import type { SinkRecord } from '../../../runtime/api/index.js';
import {
  RecordNotWritable,
  valueOnly,
  type RecordFormat,
  type RecordWriter,
  type StoredRecord,
} from './record-format.js';

/**
 * Confluent's ByteArrayFormat: each value's raw bytes followed by `format.bytearray.separator` (a newline by
 * default). Reading splits on the separator, so values that contain it do not read back as written: use JSON
 * lines with base64 for arbitrary bytes.
 */
export class BytesFormat implements RecordFormat {
  readonly extension = '.bin';

  constructor(private readonly separator: Uint8Array) {}

  newWriter(): RecordWriter {
    return new BytesWriter(this.separator);
  }

  async *read(bytes: Uint8Array): AsyncIterable<StoredRecord> {
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const separator = Buffer.from(this.separator);
    let start = 0;
    while (start < data.length) {
      let end = separator.length === 0 ? data.length : data.indexOf(separator, start);
      if (end < 0) end = data.length;
      yield valueOnly(null, Buffer.from(data.subarray(start, end)));
      start = end + separator.length;
    }
  }
}

class BytesWriter implements RecordWriter {
  private chunks: Uint8Array[] = [];
  private held = 0;

  constructor(private readonly separator: Uint8Array) {}

  get bufferedBytes(): number {
    return this.held;
  }

  accepts(): boolean {
    return true;
  }

  write(record: SinkRecord): void {
    const value = record.value;
    let bytes: Uint8Array;
    if (value instanceof Uint8Array) bytes = value;
    else if (typeof value === 'string') bytes = Buffer.from(value, 'utf8');
    else
      throw new RecordNotWritable(
        'value',
        `format.class=ByteArrayFormat writes byte values, but the value is ${value === null ? 'null' : typeof value}: use value.converter=ByteArrayConverter`,
      );
    this.chunks.push(bytes, this.separator);
    this.held += bytes.length + this.separator.length;
  }

  async drain(): Promise<Uint8Array> {
    const out = Buffer.concat(this.chunks);
    this.chunks = [];
    this.held = 0;
    return out;
  }

  finish(): Promise<Uint8Array> {
    return this.drain();
  }

  discard(): void {
    this.chunks = [];
    this.held = 0;
  }
}
