import type { SourceOffset, SourcePartition } from './records.js';

/** Read access to a connector's committed source offsets. */
export interface OffsetStorageReader {
  offset(partition: SourcePartition): Promise<SourceOffset | null>;
  offsets(partitions: readonly SourcePartition[]): Promise<ReadonlyMap<SourcePartition, SourceOffset | null>>;
}
