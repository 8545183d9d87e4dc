import type { OutputField } from './output-fields.js';
import type { RecordFormat, RecordWriter, StoredRecord } from './record-format.js';
import { parquetRecords } from './parquet/parquet-reader.js';
import { ParquetWriter } from './parquet/parquet-writer.js';
import type { ParquetCodec } from './parquet/row-group-encoder.js';

export type { ParquetCodec };

export interface ParquetOptions {
  readonly outputFields: readonly OutputField[];
  readonly codec: ParquetCodec;
  /** Rows per row group (`parquet.row.group.size.records`), default 10000: about what a writer holds. */
  readonly rowGroupRecords?: number;
}

export const DEFAULT_ROW_GROUP_RECORDS = 10_000;

/** Confluent's Parquet object extensions. */
const EXTENSIONS: Readonly<Record<ParquetCodec, string>> = {
  snappy: '.snappy.parquet',
  zstd: '.zstd.parquet',
  gzip: '.gz.parquet',
  none: '.parquet',
};

/**
 * Parquet files, one row per record (see docs/s3.md → Parquet for the columns): with
 * `format.output.fields=value` and a struct value, the struct's fields are the columns; otherwise one column
 * per output field. A file holds one key and value schema; `accepts` turns a record with another one away, so
 * the sink starts a new file.
 */
export class ParquetFormat implements RecordFormat {
  readonly extension: string;
  private readonly rowGroupRecords: number;

  constructor(private readonly options: ParquetOptions) {
    this.extension = EXTENSIONS[options.codec];
    this.rowGroupRecords = options.rowGroupRecords ?? DEFAULT_ROW_GROUP_RECORDS;
    if (!Number.isInteger(this.rowGroupRecords) || this.rowGroupRecords < 1)
      throw new Error(`rowGroupRecords must be a positive integer, got ${this.rowGroupRecords}`);
  }

  newWriter(): RecordWriter {
    return new ParquetWriter(this.options.outputFields, this.options.codec, this.rowGroupRecords);
  }

  async *read(bytes: Uint8Array): AsyncIterable<StoredRecord> {
    yield* parquetRecords(bytes, this.options.outputFields);
  }
}
