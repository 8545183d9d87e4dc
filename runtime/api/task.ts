import type { ConnectorConfig } from './connector.js';
import type { Logger } from './logger.js';
import type { TaskMetricsRegistry } from './metrics.js';
import type { OffsetStorageReader } from './offsets.js';
import type {
  RecordMetadata,
  SinkRecord,
  SourceRecord,
  TopicPartition,
  TopicPartitionOffset,
} from './records.js';

export interface TaskContextBase {
  readonly connectorName: string;
  readonly taskId: number;
  readonly logger: Logger;
  /** Where the task shows metrics of its own on GET /metrics; read it with taskMetricsOf(context). */
  readonly metrics?: TaskMetricsRegistry;
}

export interface SourceTaskContext extends TaskContextBase {
  readonly offsetStorageReader: OffsetStorageReader;
}

/** Sends a record that the task could not write to the dead letter queue (or fails the task, per errors.tolerance). */
export type ErrantRecordReporter = (record: SinkRecord, error: Error) => Promise<void>;

export interface SinkTaskContext extends TaskContextBase {
  assignment(): readonly TopicPartition[];
  pause(...partitions: TopicPartition[]): void;
  resume(...partitions: TopicPartition[]): void;
  /** Rewind (or skip) a partition: the next record delivered will be at `offset`. */
  offset(partition: TopicPartition, offset: number): void;
  /** After a RETRIABLE error from put, wait this long before redelivering the same batch. */
  timeout(ms: number): void;
  /** Ask for an offset commit as soon as possible (calls flush/preCommit). */
  requestCommit(): void;
  /** Null when the connector has no error tolerance and no DLQ configured. */
  readonly errantRecordReporter: ErrantRecordReporter | null;
}

export interface SourceTask {
  start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> | void;
  /**
   * Records ready to send, or null/[] when none arrived. Must return within about a second so the
   * worker can commit offsets and notice stop(); stop() may be called while a poll is pending.
   */
  poll(): Promise<readonly SourceRecord[] | null>;
  /** All records polled so far have been acknowledged and their offsets committed. */
  commit?(): Promise<void> | void;
  /** One record was acknowledged by Kafka (metadata null when a transform dropped it). */
  commitRecord?(record: SourceRecord, metadata: RecordMetadata | null): Promise<void> | void;
  stop(): Promise<void> | void;
}

export interface SinkTask {
  start(config: ConnectorConfig, context: SinkTaskContext): Promise<void> | void;
  open?(partitions: readonly TopicPartition[]): Promise<void> | void;
  close?(partitions: readonly TopicPartition[]): Promise<void> | void;
  /** Write (or buffer) the records; throw a RETRIABLE SluiceError to have the batch redelivered. */
  put(records: readonly SinkRecord[]): Promise<void>;
  /** Make everything put so far durable. */
  flush?(currentOffsets: readonly TopicPartitionOffset[]): Promise<void>;
  /**
   * Offsets safe to commit (default: flush, then the current offsets). Returning fewer or lower
   * offsets holds the consumer group back until the data is durable.
   */
  preCommit?(currentOffsets: readonly TopicPartitionOffset[]): Promise<readonly TopicPartitionOffset[]>;
  stop(): Promise<void> | void;
}
