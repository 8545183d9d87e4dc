import {
  connectError,
  sluiceError,
  type SourceOffset,
  type SourcePartition,
} from '../../runtime/api/index.js';

/** Connect's FileStreamSourceTask partition and offset field names; stored offsets stay interchangeable. */
export const FILENAME_FIELD = 'filename';
export const POSITION_FIELD = 'position';

export function filePartition(file: string): SourcePartition {
  return { [FILENAME_FIELD]: file };
}

export function fileOffset(position: number): SourceOffset {
  return { [POSITION_FIELD]: position };
}

function isPosition(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The byte position a committed offset resumes at (0 when nothing was committed). */
export function committedPosition(file: string, offset: SourceOffset | null): number {
  const position = offset?.[POSITION_FIELD];
  if (position === undefined || position === null) return 0;
  if (!isPosition(position)) {
    throw connectError(
      `Offset position for ${file} is the incorrect type: expected a non-negative integer, got ${JSON.stringify(position)}`,
    );
  }
  return position;
}

/** Checks offsets submitted through the REST offsets API before they are written. */
export function checkAlteredOffsets(offsets: ReadonlyMap<SourcePartition, SourceOffset | null>): void {
  for (const [partition, offset] of offsets) {
    if (typeof partition[FILENAME_FIELD] !== 'string') {
      throw sluiceError(
        'INVALID_OFFSETS',
        `partition objects must contain the key '${FILENAME_FIELD}' with a file name, got ${JSON.stringify(partition)}`,
      );
    }
    if (offset === null) continue;
    if (!isPosition(offset[POSITION_FIELD])) {
      throw sluiceError(
        'INVALID_OFFSETS',
        `offset objects must be null or contain the key '${POSITION_FIELD}' with a non-negative integer, got ${JSON.stringify(offset)}`,
      );
    }
  }
}
