import type { RecordMetadata } from '../api/records.js';
import type { SourceTask } from '../api/task.js';
import { isToleratedFailure } from '../errors/error-handler.js';
import type { ProcessingContext } from '../errors/error-reporter.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { ProducedMetadata, TransactionalProducer } from '../kafka/types.js';
import type { TaskMetrics } from '../metrics/task-metrics.js';
import type { TransactionalOffsetStore } from '../storage/offset-store.js';
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
  private readonly offsets = new SourceOffsetTracker();
  private openedAt = 0;
  private open = false;
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
    if (this.boundary.kind === 'poll') await this.commitAll();
    else if (!this.open) this.openedAt = Date.now();
    this.open = true;
  }

  async commitIfDue(inFlight: Promise<void> | null): Promise<void> {
    if (this.boundary.kind !== 'interval' || !this.open) return;
    if (Date.now() - this.openedAt < this.boundary.intervalMs) return;
    if (inFlight !== null) await inFlight;
    await this.commitAll();
  }

  /** Sends the open transaction's batches and offsets and commits them, retrying the whole transaction as errors.* allow. */
  async commitAll(): Promise<void> {
    if (this.batches.length === 0 && this.offsets.isEmpty) return;
    const batches = this.batches;
    const entries = this.offsets.drain();
    const started = Date.now();
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
    this.batches = [];
    this.open = false;
    this.offsetStore.committed(this.env.id.connector, entries);
    this.metrics.recordOffsetCommit(true, Date.now() - started);
    let records = 0;
    for (let i = 0; i < batches.length; i++) {
      const metadata = outcome[i]!;
      records += metadata.length;
      await this.acknowledge(batches[i]!.converted, metadata);
    }
    this.metrics.recordWrite(records);
    try {
      await this.task.commit?.();
    } catch (error) {
      this.env.logger.warn('task commit() failed', { error: String(error) });
    }
  }

  /** One attempt: begin, send every batch, send the offsets, commit; on any failure abort before rethrowing. */
  private async transact(
    batches: readonly PreparedBatch[],
    entries: ReturnType<SourceOffsetTracker['drain']>,
  ): Promise<ProducedMetadata[][]> {
    await this.producer.beginTransaction();
    try {
      const metadata: ProducedMetadata[][] = [];
      for (const batch of batches)
        metadata.push(batch.messages.length === 0 ? [] : await this.producer.send(batch.messages));
      if (entries.length > 0)
        await this.producer.send(this.offsetStore.offsetRecords(this.env.id.connector, entries));
      await this.producer.commitTransaction();
      return metadata;
    } catch (error) {
      await this.producer.abortTransaction().catch(() => undefined);
      throw error;
    }
  }

  private async acknowledge(
    converted: readonly ConvertedRecord[],
    metadata: ProducedMetadata[],
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
    this.offsets.drain();
    this.open = false;
    await this.producer.abortTransaction().catch(() => undefined);
  }

  close(): Promise<void> {
    return this.producer.close();
  }
}
