import {
  connectError,
  sluiceError,
  type SourceOffset,
  type SourcePartition,
} from '../../runtime/api/index.js';

export const TASK_FIELD = 'task';
export const SEQ_FIELD = 'seq';

export function taskPartition(taskIndex: number): SourcePartition {
  return { [TASK_FIELD]: taskIndex };
}

/** The offset of a record is its own seq; a restarted task continues at the next one. */
export function seqOffset(seq: number): SourceOffset {
  return { [SEQ_FIELD]: seq };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The first seq a task generates: one past the last committed seq, or 0 on a fresh start. */
export function firstSeqAfter(taskIndex: number, offset: SourceOffset | null): number {
  const seq = offset?.[SEQ_FIELD];
  if (seq === undefined || seq === null) return 0;
  if (!isCount(seq)) {
    throw connectError(
      `Datagen offset for task ${taskIndex} is the incorrect type: expected a non-negative integer seq, got ${JSON.stringify(seq)}`,
    );
  }
  return seq + 1;
}

/** Checks offsets submitted through the REST offsets API before they are written. */
export function checkAlteredOffsets(offsets: ReadonlyMap<SourcePartition, SourceOffset | null>): void {
  for (const [partition, offset] of offsets) {
    if (!isCount(partition[TASK_FIELD])) {
      throw sluiceError(
        'INVALID_OFFSETS',
        `partition objects must contain the key '${TASK_FIELD}' with a task index, got ${JSON.stringify(partition)}`,
      );
    }
    if (offset !== null && !isCount(offset[SEQ_FIELD])) {
      throw sluiceError(
        'INVALID_OFFSETS',
        `offset objects must be null or contain the key '${SEQ_FIELD}' with a non-negative integer, got ${JSON.stringify(offset)}`,
      );
    }
  }
}
