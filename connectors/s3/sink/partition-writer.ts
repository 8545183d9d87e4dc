import type { SinkRecord, TopicPartition } from '../../../runtime/api/index.js';
import { RecordNotWritable, type RecordWriter } from '../format/record-format.js';
import { objectKey } from '../layout/object-key.js';
import type { UploadTarget } from '../storage/object-store.js';
import { ObjectUpload } from './object-upload.js';
import type { S3SinkSettings } from './sink-config.js';

/** One object of a batch: the records of one encoded partition, named by the first offset it holds. */
interface BatchFile {
  readonly writer: RecordWriter;
  readonly upload: ObjectUpload;
  records: number;
  finished: boolean;
}

/** Records of one Kafka partition from `startOffset` on, spread over one file per encoded partition. */
interface Batch {
  readonly startOffset: number;
  readonly firstTime: number | null;
  readonly deadline: number | null;
  readonly files: Map<string, BatchFile>;
  written: number;
}

/** What to do with a record that cannot be written (the task routes it to the dead letter queue or fails). */
export type RejectRecord = (record: SinkRecord, error: RecordNotWritable) => Promise<void>;

/**
 * Cuts one Kafka partition's records into batches at boundaries that depend only on the records (flush.size,
 * rotate.interval.ms on record time, a schema change) and uploads each batch's files. Only offsets before the
 * open batch are committable, so after a crash the partition's next owner starts at a batch start and writes
 * the same object names with the same bytes: exactly once without any coordination.
 */
export class PartitionWriter {
  /** The next offset to handle; anything below was written, skipped, or is in the open batch. */
  private nextOffset: number | null = null;
  private batch: Batch | null = null;
  /** A batch whose upload failed part way; retried before anything else. */
  private closing: Batch | null = null;
  /** The upload of `closing`, running while the next batch fills; at most one per partition. */
  private uploading: Promise<void> | null = null;
  /** The background upload failed: the next write retries it first, synchronously. */
  private uploadFailed = false;
  /** A write failed; the worker redelivers, and the redelivery retries the uploads first. */
  private interrupted = false;

  constructor(
    readonly partition: TopicPartition,
    private readonly settings: S3SinkSettings,
    private readonly store: UploadTarget,
    private readonly reject: RejectRecord,
  ) {}

  /** The offset the consumer group may commit: the start of the batch not yet in S3. */
  committableOffset(): number | null {
    return this.closing?.startOffset ?? this.batch?.startOffset ?? this.nextOffset;
  }

  async write(record: SinkRecord): Promise<void> {
    // After a failure the worker redelivers the batch: finish the uploads that failed before skipping ahead.
    if (this.interrupted || this.uploadFailed) {
      try {
        await this.settle();
        for (const file of this.batch?.files.values() ?? []) await file.upload.sendFullParts();
      } catch (error) {
        this.interrupted = true;
        throw error;
      }
      this.interrupted = false;
    }
    if (this.nextOffset !== null && record.kafkaOffset < this.nextOffset) return; // redelivered
    try {
      await this.writeNew(record);
    } catch (error) {
      this.interrupted = true;
      throw error;
    }
  }

  private async writeNew(record: SinkRecord): Promise<void> {
    if (this.batch !== null && this.endsBefore(this.batch, record)) await this.closeBatch();
    if (record.value === null || record.value === undefined) {
      if (this.settings.nullValues === 'ignore') {
        this.nextOffset = record.kafkaOffset + 1;
        return;
      }
      if (this.settings.nullValues === 'fail') {
        await this.reject(
          record,
          new RecordNotWritable(
            'value',
            'the value is null (a tombstone) and behavior.on.null.values=fail; set it to ignore or write',
          ),
        );
        this.nextOffset = record.kafkaOffset + 1;
        return;
      }
    }
    let encodedPartition: string;
    try {
      encodedPartition = this.settings.partitioner.encodePartition(record);
    } catch (error) {
      await this.reject(record, new RecordNotWritable('partitioner', (error as Error).message));
      this.nextOffset = record.kafkaOffset + 1;
      return;
    }
    let file = this.batch?.files.get(encodedPartition);
    if (this.batch !== null && file !== undefined && !file.writer.accepts(record)) {
      await this.closeBatch(); // a new schema starts new files
      file = undefined;
    }
    const batch = (this.batch ??= this.newBatch(record));
    if (file === undefined) {
      file = this.newFile(record, encodedPartition);
      batch.files.set(encodedPartition, file);
    }
    try {
      file.writer.write(record);
    } catch (error) {
      if (!(error instanceof RecordNotWritable)) throw error;
      if (file.records === 0) batch.files.delete(encodedPartition);
      if (batch.files.size === 0) this.batch = null;
      await this.reject(record, error);
      this.nextOffset = record.kafkaOffset + 1;
      return;
    }
    file.records++;
    batch.written++;
    this.nextOffset = record.kafkaOffset + 1;
    if (file.writer.bufferedBytes >= this.settings.partSize) {
      file.upload.add(await file.writer.drain());
      await file.upload.sendFullParts();
    }
    if (batch.written >= this.settings.flushSize) await this.closeBatch();
  }

  /** rotate.schedule.interval.ms: completes the open batch once its wall-clock deadline passed. */
  async rotateIfDue(now: number): Promise<void> {
    if (this.uploadFailed) await this.settle();
    if (this.batch?.deadline != null && now >= this.batch.deadline) await this.closeBatch();
  }

  /** Abandons the open batch (close, rebalance, stop): its multipart uploads are aborted. */
  async discard(): Promise<void> {
    await this.uploading?.catch(() => undefined);
    this.uploading = null;
    this.uploadFailed = false;
    const batches = [this.closing, this.batch].filter((b): b is Batch => b !== null);
    this.closing = null;
    this.batch = null;
    this.nextOffset = null; // the consumer resumes from the committed offset
    for (const batch of batches)
      for (const file of batch.files.values()) {
        file.writer.discard();
        await file.upload.abort();
      }
  }

  private endsBefore(batch: Batch, record: SinkRecord): boolean {
    // Full already: its close failed after the last record went in, and the redelivery retried the upload.
    if (batch.written >= this.settings.flushSize) return true;
    if (batch.firstTime !== null && this.settings.rotateIntervalMs > 0) {
      if (this.settings.timestampOf(record) - batch.firstTime >= this.settings.rotateIntervalMs) return true;
    }
    return batch.deadline !== null && Date.now() >= batch.deadline;
  }

  private newBatch(record: SinkRecord): Batch {
    const schedule = this.settings.rotateScheduleIntervalMs;
    const now = Date.now();
    return {
      startOffset: record.kafkaOffset,
      firstTime: this.settings.rotateIntervalMs > 0 ? this.settings.timestampOf(record) : null,
      deadline: schedule > 0 ? (Math.floor(now / schedule) + 1) * schedule : null,
      files: new Map(),
      written: 0,
    };
  }

  private newFile(record: SinkRecord, encodedPartition: string): BatchFile {
    const key = objectKey(this.settings.layout, {
      topic: record.topic,
      encodedPartition,
      kafkaPartition: record.kafkaPartition,
      startOffset: record.kafkaOffset,
      extension: this.settings.format.extension,
    });
    return {
      writer: this.settings.format.newWriter(),
      upload: new ObjectUpload(this.store, key, this.settings.partSize),
      records: 0,
      finished: false,
    };
  }

  /**
   * Waits for the batch being uploaded (so its offsets can be committed now); after a failure, uploads it again
   * and throws if that fails too.
   */
  async settle(): Promise<void> {
    const uploading = this.uploading;
    this.uploading = null;
    await uploading?.catch(() => undefined);
    this.uploadFailed = false;
    if (this.closing === null) return;
    try {
      await this.finishClosing();
    } catch (error) {
      this.uploadFailed = true;
      throw error;
    }
  }

  /** Starts uploading the open batch and returns; the next batch fills meanwhile. */
  private async closeBatch(): Promise<void> {
    await this.settle();
    this.closing = this.batch;
    this.batch = null;
    const uploading = this.finishClosing();
    this.uploading = uploading;
    uploading.catch(() => {
      if (this.uploading === uploading) this.uploadFailed = true;
    });
  }

  private async finishClosing(): Promise<void> {
    const batch = this.closing;
    if (batch === null) return;
    // Every upload runs to its end before a failure is thrown, so a retry never races one still in flight.
    const results = await Promise.allSettled(
      [...batch.files.values()].map(async (file) => {
        if (!file.finished) {
          file.upload.add(await file.writer.finish());
          file.finished = true;
        }
        await file.upload.complete();
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    this.closing = null;
  }
}
