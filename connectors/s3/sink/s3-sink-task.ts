import {
  SluiceError,
  topicPartitionKey,
  type ConnectorConfig,
  type SinkRecord,
  type SinkTask,
  type SinkTaskContext,
  type TopicPartition,
  type TopicPartitionOffset,
} from '../../../runtime/api/index.js';
import { RecordNotWritable } from '../format/record-format.js';
import { ObjectStore } from '../storage/object-store.js';
import { describeS3Failure } from '../storage/s3-failure.js';
import { S3RetryBudget } from '../storage/s3-retry-budget.js';
import { PartitionWriter } from './partition-writer.js';
import { s3SinkSettings, type S3SinkSettings } from './sink-config.js';

function originOf(record: SinkRecord): string {
  return `${record.topic}-${record.kafkaPartition}@${record.kafkaOffset}`;
}

/**
 * Writes each assigned Kafka partition through its own PartitionWriter and tells the worker to commit only
 * what is complete in S3 (preCommit). A failed S3 request keeps the batch: put throws a retriable error, the
 * worker redelivers, redelivered records are skipped, and the upload resumes where it stopped.
 */
export class S3SinkTask implements SinkTask {
  private settings: S3SinkSettings | null = null;
  private context: SinkTaskContext | null = null;
  private store: ObjectStore | null = null;
  private readonly writers = new Map<string, PartitionWriter>();
  private budget: S3RetryBudget | null = null;

  async start(config: ConnectorConfig, context: SinkTaskContext): Promise<void> {
    this.settings = await s3SinkSettings(config);
    this.context = context;
    this.store = new ObjectStore(this.settings.store);
    this.budget = new S3RetryBudget(this.store.describe(), this.settings.retryTimeoutMs);
    context.logger.info(`S3 sink writing to ${this.store.describe()}`);
  }

  open(partitions: readonly TopicPartition[]): void {
    for (const tp of partitions) this.writerFor(tp);
  }

  async close(partitions: readonly TopicPartition[]): Promise<void> {
    for (const tp of partitions) {
      const key = topicPartitionKey(tp);
      const writer = this.writers.get(key);
      this.writers.delete(key);
      await writer?.discard().catch((error: unknown) => this.logAbortFailure(error));
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    try {
      for (const record of records) await this.writerFor(record).write(record);
      this.budget!.succeeded();
    } catch (error) {
      throw this.classify(error);
    }
  }

  async preCommit(currentOffsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]> {
    const safe: TopicPartitionOffset[] = [];
    const now = Date.now();
    for (const current of currentOffsets) {
      const writer = this.writers.get(topicPartitionKey(current));
      if (writer === undefined) continue;
      if (this.settings!.rotateScheduleIntervalMs > 0) await writer.rotateIfDue(now);
      // Commits a batch whose upload still runs in the background. A failed upload throws: the worker then
      // rewinds to the committed offsets, and the redelivered records retry it in put, which counts
      // errors.retry.timeout and fails the task with the S3 error's code.
      await writer.settle();
      const offset = writer.committableOffset();
      if (offset !== null) safe.push({ topic: current.topic, partition: current.partition, offset });
    }
    return safe;
  }

  async stop(): Promise<void> {
    for (const writer of this.writers.values())
      await writer.discard().catch((error: unknown) => this.logAbortFailure(error));
    this.writers.clear();
    this.store?.close();
    this.store = null;
  }

  private writerFor(tp: TopicPartition | SinkRecord): PartitionWriter {
    const partition: TopicPartition =
      'kafkaPartition' in tp ? { topic: tp.topic, partition: tp.kafkaPartition } : tp;
    const key = topicPartitionKey(partition);
    let writer = this.writers.get(key);
    if (writer === undefined) {
      writer = new PartitionWriter(partition, this.settings!, this.store!, (record, error) =>
        this.reject(record, error),
      );
      this.writers.set(key, writer);
    }
    return writer;
  }

  /** A record the format cannot store goes to the dead letter queue; with none configured the task fails. */
  private async reject(record: SinkRecord, error: RecordNotWritable): Promise<void> {
    const reporter = this.context!.errantRecordReporter;
    if (reporter === null)
      throw new SluiceError(
        'S3_RECORD_NOT_WRITABLE',
        [originOf(record), `${error.field}: ${error.message}`],
        {
          cause: error,
        },
      );
    this.context!.logger.warn(
      `Record ${originOf(record)} cannot be written (${error.field}: ${error.message}); reported to the errant record reporter`,
    );
    await reporter(record, error);
  }

  private classify(error: unknown): Error {
    return this.budget!.errorFor(error, 'the batch will be retried');
  }

  private logAbortFailure(error: unknown): void {
    this.context?.logger.warn(
      `could not abort a multipart upload (a bucket lifecycle rule removes it): ${describeS3Failure(error)}`,
    );
  }
}
