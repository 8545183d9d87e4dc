import type {
  Logger,
  OffsetStorageReader,
  SinkTaskContext,
  SourceConnectorContext,
  SourceOffset,
  SourcePartition,
  SourceRecord,
  SourceTaskContext,
} from '../../../runtime/api/index.js';

export const silentLogger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Committed source offsets in memory, keyed by the partition's JSON (as the real stores key them). */
export class InMemoryOffsets implements OffsetStorageReader {
  private readonly committed = new Map<string, SourceOffset>();

  commit(partition: SourcePartition, offset: SourceOffset): void {
    this.committed.set(JSON.stringify(partition), offset);
  }

  /** Commits the offset of each record in order, as the worker does once Kafka acknowledged them. */
  commitRecords(records: readonly SourceRecord[]): void {
    for (const record of records) this.commit(record.sourcePartition, record.sourceOffset);
  }

  async offset(partition: SourcePartition): Promise<SourceOffset | null> {
    return this.committed.get(JSON.stringify(partition)) ?? null;
  }

  async offsets(
    partitions: readonly SourcePartition[],
  ): Promise<ReadonlyMap<SourcePartition, SourceOffset | null>> {
    return new Map(partitions.map((p) => [p, this.committed.get(JSON.stringify(p)) ?? null]));
  }
}

export function sourceTaskContext(offsets: InMemoryOffsets, taskId = 0): SourceTaskContext {
  return { connectorName: 'test-connector', taskId, logger: silentLogger, offsetStorageReader: offsets };
}

export function sinkTaskContext(taskId = 0): SinkTaskContext {
  return {
    connectorName: 'test-connector',
    taskId,
    logger: silentLogger,
    assignment: () => [],
    pause: () => {},
    resume: () => {},
    offset: () => {},
    timeout: () => {},
    requestCommit: () => {},
    errantRecordReporter: null,
  };
}

export function sourceConnectorContext(offsets = new InMemoryOffsets()): SourceConnectorContext {
  return {
    connectorName: 'test-connector',
    logger: silentLogger,
    offsetStorageReader: offsets,
    requestTaskReconfiguration: () => {},
    raiseError: () => {},
  };
}
