import type { RecordMetadata, SourceRecord } from '../api/records.js';
import type { SourceTask } from '../api/task.js';
import { isToleratedFailure } from '../errors/error-handler.js';
import type { ProcessingContext } from '../errors/error-reporter.js';
import type { KafkaProducer, ProducedMetadata } from '../kafka/types.js';
import type { TaskMetrics } from '../metrics/task-metrics.js';
import type { OffsetStore } from '../storage/offset-store.js';
import type { PreparedBatch, SourceDelivery } from './source-delivery.js';
import { SourceOffsetTracker } from './source-offset-tracker.js';
import type { TaskEnvironment } from './task-environment.js';

/**
 * At-least-once: a batch is produced, and once Kafka acknowledged it its offsets become committable;
 * they are written to the offset store every offset.flush.interval.ms and on stop. A crash between
 * the two re-sends what was produced since the last flush.
 *
 * commit() covers exactly the records whose commitRecord() came before it: records acknowledged while an
 * offset write is under way (their offsets are not in it) hear commitRecord() only after commit(). A CDC
 * task confirms its replication slot in commit() up to what commitRecord() reported, so without this a
 * kill -9 right after commit() could leave the slot confirmed past the stored offsets.
 */
export class AtLeastOnceDelivery implements SourceDelivery {
  private readonly offsets = new SourceOffsetTracker();
  private lastCommit = Date.now();
  private readonly produceContext: ProcessingContext;
  /** The offset write under way, if any, and the acknowledgements that arrived during it (they wait for it). */
  private commitUnderWay: {
    readonly held: [SourceRecord, RecordMetadata | null][];
    done: Promise<void>;
  } | null = null;

  constructor(
    private readonly env: TaskEnvironment,
    private readonly task: SourceTask,
    private readonly producer: KafkaProducer,
    private readonly offsetStore: OffsetStore,
    private readonly metrics: TaskMetrics,
  ) {
    this.produceContext = { connector: env.id.connector, taskId: env.id.task };
  }

  async deliver(batch: PreparedBatch): Promise<void> {
    let metadata: ProducedMetadata[] = [];
    if (batch.messages.length > 0) {
      const sent = await this.env.errorHandler.execute(
        'KAFKA_PRODUCE',
        () => this.producer.send(batch.messages),
        this.produceContext,
      );
      metadata = isToleratedFailure(sent) ? [] : sent;
      this.metrics.recordWrite(metadata.length);
      this.metrics.countTopics(metadata);
    }
    let next = 0;
    for (const c of batch.converted) {
      const meta = c.message === null ? null : (metadata[next++] ?? null);
      this.offsets.acknowledged(c.original.sourcePartition, c.original.sourceOffset);
      if (this.commitUnderWay !== null) this.commitUnderWay.held.push([c.original, meta]);
      else if (this.task.commitRecord) await this.task.commitRecord(c.original, meta);
    }
  }

  async commitIfDue(): Promise<void> {
    if (Date.now() - this.lastCommit >= this.env.offsetFlushIntervalMs) await this.commitAll();
  }

  /** Writes acknowledged offsets to the store, then tells the task (SourceTask.commit). */
  async commitAll(): Promise<void> {
    // One write at a time: a flush asked for during another (the final one at stop) waits for it.
    while (this.commitUnderWay !== null) await this.commitUnderWay.done;
    this.lastCommit = Date.now();
    if (this.offsets.isEmpty) return;
    const commit = { held: [] as [SourceRecord, RecordMetadata | null][], done: Promise.resolve() };
    this.commitUnderWay = commit;
    commit.done = this.writeOffsets();
    try {
      await commit.done;
    } finally {
      this.commitUnderWay = null;
      for (const [record, meta] of commit.held)
        if (this.task.commitRecord) await this.task.commitRecord(record, meta);
    }
  }

  private async writeOffsets(): Promise<void> {
    const entries = this.offsets.drain();
    const started = Date.now();
    try {
      await this.offsetStore.write(this.env.id.connector, entries);
      this.metrics.recordOffsetCommit(true, Date.now() - started);
    } catch (error) {
      this.metrics.recordOffsetCommit(false, Date.now() - started);
      this.offsets.restore(entries);
      this.env.logger.error('could not commit source offsets; will retry at the next flush', {
        error: String(error),
      });
      return;
    }
    try {
      await this.task.commit?.();
    } catch (error) {
      this.env.logger.warn('task commit() failed', { error: String(error) });
    }
  }

  /** Acknowledged offsets stay committable: the records they cover are in Kafka. */
  async abandon(): Promise<void> {}

  close(): Promise<void> {
    return this.producer.close();
  }
}
