import type { SourceOffset, SourcePartition } from '../api/records.js';

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
