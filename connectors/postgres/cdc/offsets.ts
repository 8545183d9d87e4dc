import type { SourceOffset } from '../../../runtime/api/index.js';
import type { SnapshotMode } from './config.js';
import { lsnFromOffset } from './lsn.js';
import type { ResumePoint } from './stream-reader.js';

export type StoredState =
  | { readonly kind: 'none' }
  | { readonly kind: 'snapshot-incomplete' }
  | { readonly kind: 'snapshot-complete' }
  | { readonly kind: 'streaming'; readonly resume: ResumePoint };

/** What the committed offset says about where the connector is. */
export function storedState(offset: SourceOffset | null): StoredState {
  if (offset === null) return { kind: 'none' };
  if (offset['snapshot'] === true)
    return offset['last_snapshot_record'] === true
      ? { kind: 'snapshot-complete' }
      : { kind: 'snapshot-incomplete' };
  const commitLsn = lsnFromOffset(offset['lsn_commit']);
  const eventLsn = lsnFromOffset(offset['lsn_proc']) ?? lsnFromOffset(offset['lsn']);
  if (commitLsn === null || eventLsn === null) return { kind: 'snapshot-complete' };
  return { kind: 'streaming', resume: { commitLsn, eventLsn } };
}

/** Debezium's snapshot.mode decision. */
export function needsSnapshot(mode: SnapshotMode, state: StoredState, slotExists: boolean): boolean {
  switch (mode) {
    case 'always':
      return true;
    case 'no_data':
      return false;
    case 'when_needed':
      return state.kind === 'none' || state.kind === 'snapshot-incomplete' || !slotExists;
    case 'initial':
    case 'initial_only':
      return state.kind === 'none' || state.kind === 'snapshot-incomplete';
  }
}
