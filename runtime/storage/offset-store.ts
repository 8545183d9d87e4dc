import type { SourceOffset, SourcePartition } from '../api/records.js';
import type { OutgoingMessage } from '../kafka/types.js';

export interface SourceOffsetEntry {
  readonly partition: SourcePartition;
  /** null removes the partition's offset (Connect's tombstone). */
  readonly offset: SourceOffset | null;
}

/**
 * Committed source offsets, keyed like Kafka Connect's offset topic: `[connector, partition]`.
 * Standalone keeps them in a file; distributed mode in a compacted Kafka topic.
 */
export interface OffsetStore {
  start(): Promise<void>;
  offsets(
    connector: string,
    partitions: readonly SourcePartition[],
  ): Promise<Map<SourcePartition, SourceOffset | null>>;
  allOffsets(connector: string): Promise<SourceOffsetEntry[]>;
  /** Durable when the promise resolves. */
  write(connector: string, entries: readonly SourceOffsetEntry[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A store whose writes can join the caller's Kafka transaction (exactly-once sources): the offsets go
 * out as records in the same transaction as the data they describe.
 */
export interface TransactionalOffsetStore extends OffsetStore {
  /** The records that store these offsets; the caller sends them inside its transaction. */
  offsetRecords(connector: string, entries: readonly SourceOffsetEntry[]): OutgoingMessage[];
  /** Called once that transaction committed: the offsets become visible to reads at once. */
  committed(connector: string, entries: readonly SourceOffsetEntry[]): void;
}

export function isTransactionalOffsetStore(store: OffsetStore): store is TransactionalOffsetStore {
  const candidate = store as Partial<TransactionalOffsetStore>;
  return typeof candidate.offsetRecords === 'function' && typeof candidate.committed === 'function';
}
