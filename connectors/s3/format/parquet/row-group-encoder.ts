import { tableToIPC, Table as ArrowTable, type RecordBatch as ArrowBatch } from 'apache-arrow';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  Compression,
  Table as WasmTable,
  WriterPropertiesBuilder,
  transformParquetStream,
  type RecordBatch as WasmBatch,
} from 'parquet-wasm';

export type ParquetCodec = 'snappy' | 'zstd' | 'gzip' | 'none';

const COMPRESSION: Readonly<Record<ParquetCodec, Compression>> = {
  snappy: Compression.SNAPPY,
  zstd: Compression.ZSTD,
  gzip: Compression.GZIP,
  none: Compression.UNCOMPRESSED,
};

/**
 * One Parquet file written a row group at a time through parquet-wasm's streaming writer: each batch
 * added is one row group, and its bytes come out while the file is still open, so the writer holds a row
 * group or two, never the file.
 *
 * When a row group's bytes reach the output is parquet-wasm's business: checked, they come out once one or
 * two later batches have gone in (small groups wait longer, its output is buffered), and the rest at the end.
 * So `take()` lets the encoder run for a turn when a row group went in since the last take, and returns what
 * came out, which may be nothing.
 */
export class RowGroupEncoder {
  private input: ReadableStreamDefaultController<WasmBatch> | null = null;
  private pump: Promise<void> | null = null;
  private chunks: Uint8Array[] = [];
  private chunkBytes = 0;
  private failure: Error | null = null;
  private discarded = false;
  /** A row group went in since the last take(): worth giving the encoder a turn. */
  private fresh = false;

  constructor(
    private readonly codec: ParquetCodec,
    private readonly rowGroupRecords: number,
  ) {}

  /** Encoded bytes not taken yet. */
  get pendingBytes(): number {
    return this.chunkBytes;
  }

  /** Queues one row group. Synchronous: the encoding happens in the background. */
  add(batch: ArrowBatch): void {
    const wasm = toWasmBatch(batch);
    if (this.input === null) {
      // The first batch must be queued before transformParquetStream is awaited: the writer reads it to
      // learn the schema, and its promise does not settle before.
      const input = new ReadableStream<WasmBatch>({ start: (c) => void (this.input = c) });
      this.input!.enqueue(wasm);
      this.pump = this.run(input);
    } else {
      this.input.enqueue(wasm);
    }
    this.fresh = true;
  }

  /** The bytes of the row groups encoded so far (a prefix of the file). */
  async take(): Promise<Uint8Array> {
    // The sink drains after every record once a writer holds s3.part.size; rows not yet in a row group stay,
    // so without new input there is nothing to wait for.
    if (this.fresh) await nextTurn();
    this.fresh = false;
    return this.taken();
  }

  /** Ends the file: the remaining row groups and the footer. Empty when no batch was added. */
  async close(): Promise<Uint8Array> {
    if (this.input !== null) {
      this.input.close();
      await this.pump;
    }
    return this.taken();
  }

  discard(): void {
    this.discarded = true;
    this.chunks = [];
    this.chunkBytes = 0;
    try {
      this.input?.error(new Error('the Parquet file was discarded'));
    } catch {
      // already closed
    }
  }

  private taken(): Uint8Array {
    if (this.failure !== null) throw this.failure;
    const out = Buffer.concat(this.chunks);
    this.chunks = [];
    this.chunkBytes = 0;
    return out;
  }

  private async run(input: ReadableStream<WasmBatch>): Promise<void> {
    const properties = new WriterPropertiesBuilder()
      .setCompression(COMPRESSION[this.codec])
      .setMaxRowGroupSize(this.rowGroupRecords)
      .build();
    try {
      const reader = (
        (await transformParquetStream(input, properties)) as ReadableStream<Uint8Array>
      ).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        if (!this.discarded) {
          this.chunks.push(value);
          this.chunkBytes += value.byteLength;
        }
      }
    } catch (error) {
      if (!this.discarded) this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }
}

function toWasmBatch(batch: ArrowBatch): WasmBatch {
  const table = WasmTable.fromIPCStream(tableToIPC(new ArrowTable([batch]), 'stream'));
  try {
    return table.recordBatch(0)!;
  } finally {
    table.free();
  }
}
