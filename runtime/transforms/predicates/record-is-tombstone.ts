import type { ConnectRecord } from '../../api/records.js';
import type { Predicate } from '../../api/transformation.js';
import { predicatePlugin } from '../support/plugin-descriptors.js';

/** True for tombstones: records whose value is null. */
export class RecordIsTombstone implements Predicate {
  configure(): void {}

  test(record: ConnectRecord): boolean {
    return record.value === null || record.value === undefined;
  }
}

export const recordIsTombstonePlugin = predicatePlugin(
  'RecordIsTombstone',
  {},
  () => new RecordIsTombstone(),
);
