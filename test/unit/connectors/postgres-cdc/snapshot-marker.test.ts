import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { snapshotMarkerOf } from '../../../../connectors/postgres/cdc/source-info.js';

/** The markers of a snapshot of tables with these row counts, read in order, as SnapshotReader positions them. */
function markers(rowCounts: readonly number[]): string[][] {
  const total = rowCounts.reduce((a, b) => a + b, 0);
  let emitted = 0;
  return rowCounts.map((rows, table) =>
    Array.from({ length: rows }, (_, i) =>
      snapshotMarkerOf({
        inFirstTable: table === 0,
        firstInTable: i === 0,
        lastInTable: i === rows - 1,
        lastInSnapshot: ++emitted === total,
      }),
    ),
  );
}

describe('source.snapshot as Debezium 3 marks snapshot reads', () => {
  test('one table: first, true..., last', () => {
    assert.deepEqual(markers([4]), [['first', 'true', 'true', 'last']]);
    assert.deepEqual(markers([2]), [['first', 'last']]);
  });

  test('a single row that is the whole snapshot is last', () => {
    assert.deepEqual(markers([1]), [['last']]);
  });

  test('several tables: first/last_in_data_collection per table, first and last for the snapshot', () => {
    assert.deepEqual(markers([3, 3, 2]), [
      ['first', 'true', 'last_in_data_collection'],
      ['first_in_data_collection', 'true', 'last_in_data_collection'],
      ['first_in_data_collection', 'last'],
    ]);
  });

  test("a table's only row is last_in_data_collection, except the snapshot's first row (first) and last (last)", () => {
    assert.deepEqual(markers([1, 1, 1]), [['first'], ['last_in_data_collection'], ['last']]);
  });

  test('an empty first table leaves no "first"; an empty last table moves "last" to the row before', () => {
    assert.deepEqual(markers([0, 2, 2, 0]), [
      [],
      ['first_in_data_collection', 'last_in_data_collection'],
      ['first_in_data_collection', 'last'],
      [],
    ]);
  });
});
