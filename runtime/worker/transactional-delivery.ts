import type { RecordMetadata } from '../api/records.js';
import type { SourceTask } from '../api/task.js';
import { isToleratedFailure } from '../errors/error-handler.js';
import type { ProcessingContext } from '../errors/error-reporter.js';
import { isRetryable, SluiceError } from '../errors/sluice-error.js';
import type { ProducedMetadata, TransactionalProducer } from '../kafka/types.js';
import type { TaskMetrics } from '../metrics/task-metrics.js';
import type { SourceOffsetEntry, TransactionalOffsetStore } from '../storage/offset-store.js';
import type { ConvertedRecord, PreparedBatch, SourceDelivery } from './source-delivery.js';
import { SourceOffsetTracker } from './source-offset-tracker.js';
import type { TaskEnvironment } from './task-environment.js';

/** Connect's transaction.boundary values this runtime drives (`connector` needs a connector that defines boundaries). */
export type TransactionBoundary =
  { readonly kind: 'poll' } | { readonly kind: 'interval'; readonly intervalMs: number };

/**
 * Exactly-once (KIP-618): the records of one or more batches and the source offsets that cover them are
 * written in ONE Kafka transaction, so a crash leaves either both or neither. With `poll` every batch is
 * a transaction; with `interval` batches join the open transaction until the interval passed.
 *
 * What the task hears waits for the commit: commitRecord() and commit() are called only once the
 * transaction committed, so a CDC source confirms its replication slot only for committed changes.
 * A failed send or commit aborts the transaction and replays its batches in a new one (records not yet
 * visible to read_committed readers cannot be duplicated by that); a fenced producer fails the task.
 */
export class TransactionalDelivery implements SourceDelivery {
  /** Batches in the open transaction, kept to replay them after an abort. */
  private batches: PreparedBatch[] = [];
  /** Per batch sent into the open transaction (interval boundary): its records' metadata. */
  private sent: ProducedMetadata[][] = [];
  private readonly offsets = new SourceOffsetTracker();
  private openedAt = 0;
  /** A transaction is open on the producer and holds every batch in `batches` (interval boundary only). */
  private streaming = false;
  private readonly produceContext: ProcessingContext;

  constructor(
    private readonly env: TaskEnvironment,
    private readonly task: SourceTask,
    private readonly producer: TransactionalProducer,
    private readonly offsetStore: TransactionalOffsetStore,
    private readonly boundary: TransactionBoundary,
    private readonly metrics: TaskMetrics,
  ) {
    this.produceContext = { connector: env.id.connector, taskId: env.id.task };
  }

  async deliver(batch: PreparedBatch): Promise<void> {
    this.batches.push(batch);
    for (const c of batch.converted)
      this.offsets.acknowledged(c.original.sourcePartition, c.original.sourceOffset);
    if (this.boundary.kind === 'poll') {
      await this.commitAll();
      return;
    }
    if (this.batches.length === 1) this.openedAt = Date.now();
    // Interval: the batch streams into the open transaction at once; a failure here is repaired at commit,
    // which then replays every batch of the transaction in a new one.
    if (this.batches.length === 1 || this.streaming) {
      try {
        if (!this.streaming) await this.producer.beginTransaction();
        this.streaming = true;
        this.sent.push(batch.messages.length === 0 ? [] : await this.producer.send(batch.messages));
      } catch (error) {
        this.streaming = false;
        await this.producer.abortTransaction().catch(() => undefined);
        this.env.logger.warn(
          'a send into the open transaction failed; the transaction is replayed at commit',
          {
            error: String(error),
          },
        );
      }
    }
  }

  async commitIfDue(inFlight: Promise<void> | null): Promise<void> {
    if (this.boundary.kind !== 'interval' || this.batches.length === 0) return;
    if (Date.now() - this.openedAt < this.boundary.intervalMs) return;
    if (inFlight !== null) await inFlight;
    await this.commitAll();
  }

  /** Commits the open transaction's batches with their offsets, retrying the whole transaction as errors.* allow. */
  async commitAll(): Promise<void> {
    if (this.batches.length === 0 && this.offsets.isEmpty) return;
    const batches = this.batches;
    const entries = this.offsets.drain();
    const started = Date.now();
    let metadata: ProducedMetadata[][] | null = null;
    if (this.streaming) {
      // Every batch is in the open transaction already: the offsets close it.
      this.streaming = false;
      try {
        await this.finish(entries);
        metadata = this.sent;
      } catch (error) {
        if (!isRetryable(error)) throw error;
        this.env.logger.warn('committing the transaction failed; replaying it', { error: String(error) });
      }
    }
    if (metadata === null) {
      const outcome = await this.env.errorHandler.execute(
        'KAFKA_PRODUCE',
        () => this.transact(batches, entries),
        this.produceContext,
      );
      if (isToleratedFailure(outcome))
        // Skipping records would commit offsets past records that never reached Kafka.
        throw new SluiceError('ERROR_NOT_TOLERATED', [
          'an exactly-once source cannot skip a batch it could not produce; the task stops and resumes from its last committed offsets',
        ]);
      metadata = outcome;
    }
    this.batches = [];
    this.sent = [];
    this.offsetStore.committed(this.env.id.connector, entries);
    this.metrics.recordOffsetCommit(true, Date.now() - started);
    let records = 0;
    for (let i = 0; i < batches.length; i++) {
      records += metadata[i]?.length ?? 0;
      this.metrics.countTopics(metadata[i] ?? []);
      await this.acknowledge(batches[i]!.converted, metadata[i] ?? []);
    }
    this.metrics.recordWrite(records);
    try {
      await this.task.commit?.();
    } catch (error) {
      this.env.logger.warn('task commit() failed', { error: String(error) });
    }
  }

  /** Sends the offsets into the open transaction and commits it; aborts it on failure. */
  private async finish(entries: readonly SourceOffsetEntry[]): Promise<void> {
    try {
      if (entries.length > 0)
        await this.producer.send(this.offsetStore.offsetRecords(this.env.id.connector, entries));
      await this.producer.commitTransaction();
    } catch (error) {
      await this.producer.abortTransaction().catch(() => undefined);
      throw error;
    }
  }

  /**
   * One whole transaction: begin, then every batch's records and the offsets in ONE send (a single produce
   * round trip per request), then commit; on any failure abort before rethrowing.
   */
  private async transact(
    batches: readonly PreparedBatch[],
    entries: readonly SourceOffsetEntry[],
  ): Promise<ProducedMetadata[][]> {
    await this.producer.beginTransaction();
    try {
      const messages = batches.flatMap((b) => b.messages);
      const offsetRecords =
        entries.length > 0 ? this.offsetStore.offsetRecords(this.env.id.connector, entries) : [];
      const produced = await this.producer.send(
        offsetRecords.length === 0 ? messages : [...messages, ...offsetRecords],
      );
      await this.producer.commitTransaction();
      const metadata: ProducedMetadata[][] = [];
      let next = 0;
      for (const batch of batches) {
        metadata.push(produced.slice(next, next + batch.messages.length));
        next += batch.messages.length;
      }
      return metadata;
    } catch (error) {
      await this.producer.abortTransaction().catch(() => undefined);
      throw error;
    }
  }

  private async acknowledge(
    converted: readonly ConvertedRecord[],
    metadata: readonly ProducedMetadata[],
  ): Promise<void> {
    if (!this.task.commitRecord) return;
    let next = 0;
    for (const c of converted) {
      const meta: RecordMetadata | null = c.message === null ? null : (metadata[next++] ?? null);
      await this.task.commitRecord(c.original, meta);
    }
  }

  async abandon(): Promise<void> {
    this.batches = [];
    this.sent = [];
    this.offsets.drain();
    this.streaming = false;
    await this.producer.abortTransaction().catch(() => undefined);
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
