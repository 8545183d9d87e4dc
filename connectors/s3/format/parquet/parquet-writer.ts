import {
  RecordBatch,
  Schema as ArrowSchema,
  Struct as ArrowStruct,
  makeBuilder,
  makeData,
  type Builder,
} from 'apache-arrow';
import type { SinkRecord } from '../../../../runtime/api/index.js';
import type { OutputField } from '../output-fields.js';
import { RecordNotWritable, type RecordWriter } from '../record-format.js';
import { RecordColumns } from './record-columns.js';
import { RowGroupEncoder, type ParquetCodec } from './row-group-encoder.js';

/**
 * Writes one Parquet file. The first record fixes the columns; rows gather in Arrow builders and every
 * `rowGroupRecords` rows become a row group, encoded in the background, so memory stays at about a row group.
 */
export class ParquetWriter implements RecordWriter {
  private columns: RecordColumns | null = null;
  private rows: Builder | null = null;
  private rowCount = 0;
  private readonly encoder: RowGroupEncoder;
  /** The Arrow size of the last row group handed to the encoder, held in WebAssembly until it is written. */
  private inFlight = 0;

  constructor(
    private readonly outputFields: readonly OutputField[],
    codec: ParquetCodec,
    private readonly rowGroupRecords: number,
  ) {
    this.encoder = new RowGroupEncoder(codec, rowGroupRecords);
  }

  get bufferedBytes(): number {
    return (this.rows?.byteLength ?? 0) + this.inFlight + this.encoder.pendingBytes;
  }

  accepts(record: SinkRecord): boolean {
    return this.columns === null || this.columns.fits(record);
  }

  write(record: SinkRecord): void {
    const columns = this.columns ?? RecordColumns.of(this.outputFields, record);
    if (!columns.fits(record))
      throw new RecordNotWritable(
        'value',
        "the record's key or value schema differs from this file's: ask accepts() first and start a new file",
      );
    // Every check happens while building the row object, before anything is appended.
    const row = columns.row(record);
    if (this.rows === null) {
      this.columns = columns;
      this.rows = makeBuilder({ type: new ArrowStruct([...columns.fields]), nullValues: [null, undefined] });
    }
    this.rows.append(row);
    this.rowCount++;
    if (this.rowCount >= this.rowGroupRecords) this.flushRows();
  }

  async drain(): Promise<Uint8Array> {
    return this.encoder.take();
  }

  async finish(): Promise<Uint8Array> {
    this.flushRows();
    const bytes = await this.encoder.close();
    this.inFlight = 0;
    return bytes;
  }

  discard(): void {
    this.rows = null;
    this.rowCount = 0;
    this.inFlight = 0;
    this.encoder.discard();
  }

  private flushRows(): void {
    if (this.rows === null || this.columns === null || this.rowCount === 0) return;
    const rows = this.rows.finish().flush();
    this.inFlight = rows.byteLength;
    const schema = new ArrowSchema([...this.columns.fields], new Map(this.columns.metadata));
    const type = new ArrowStruct([...this.columns.fields]);
    this.encoder.add(
      new RecordBatch(schema, makeData({ type, length: rows.length, nullCount: 0, children: rows.children })),
    );
    this.rows = makeBuilder({ type, nullValues: [null, undefined] });
    this.rowCount = 0;
  }
}
