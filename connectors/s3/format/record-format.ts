import type { Header, Schema, SinkRecord } from '../../../runtime/api/index.js';

/**
 * A file format for the S3 sink and source (and later the S3 replay job): one writer per object, and a reader
 * that gives the records of one object back in file order.
 */
export interface RecordFormat {
  /** The object name's extension, with its leading dot and any codec (`.json.gz`, `.snappy.parquet`). */
  readonly extension: string;
  /** A writer for a new object. */
  newWriter(): RecordWriter;
  /** The records of one object, in the order they were written. */
  read(bytes: Uint8Array): AsyncIterable<StoredRecord>;
}

export interface RecordWriter {
  /** False when the record cannot share this object (its schema differs): the sink starts a new batch. */
  accepts(record: SinkRecord): boolean;
  /**
   * Encodes one record. Throws RecordNotWritable, naming the field, for a record this format cannot store;
   * the object is then as if the record had not been offered.
   */
  write(record: SinkRecord): void;
  /** Bytes this writer holds in memory, encoded or not: the sink drains it into a multipart part past s3.part.size. */
  readonly bufferedBytes: number;
  /** The encoded bytes not taken yet (a prefix of the object). */
  drain(): Promise<Uint8Array>;
  /** The rest of the object. The writer is done afterwards. */
  finish(): Promise<Uint8Array>;
  /** Drops an abandoned object's buffers. */
  discard(): void;
}

/** A record as an object stores it; the parts a format does not keep are null. */
export interface StoredRecord {
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  readonly timestamp: number | null;
  readonly headers: readonly Header[];
  readonly topic: string | null;
  readonly kafkaPartition: number | null;
  readonly kafkaOffset: number | null;
}

/** The record cannot be stored in the configured format; `field` says which part of it. */
export class RecordNotWritable extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RecordNotWritable';
  }
}

/** A StoredRecord with nothing but a value. */
export function valueOnly(valueSchema: Schema | null, value: unknown): StoredRecord {
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
