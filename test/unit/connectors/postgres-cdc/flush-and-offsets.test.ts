import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlushTracker } from '../../../../connectors/postgres/cdc/flush-tracker.js';
import { needsSnapshot, storedState } from '../../../../connectors/postgres/cdc/offsets.js';
import { CaptureFilters } from '../../../../connectors/postgres/cdc/filters.js';
import { cdcSettings } from '../../../../connectors/postgres/cdc/config.js';

test('the slot is confirmed only past transactions whose records were all acknowledged and committed', () => {
  const flush = new FlushTracker(100n);
  flush.recordPolled();
  flush.recordPolled();
  flush.commitPolled(200n); // transaction A: 2 records
  flush.recordPolled(); // transaction B, first record; its commit not read yet
  flush.recordAcknowledged();
  assert.equal(flush.offsetsCommitted(), null, 'A is only half acknowledged');
  flush.recordAcknowledged();
  assert.equal(flush.offsetsCommitted(), 200n);
  flush.recordAcknowledged();
  assert.equal(flush.offsetsCommitted(), null, 'B has no commit marker yet');
  flush.commitPolled(300n);
  assert.equal(flush.offsetsCommitted(), 300n);
  assert.equal(flush.confirmed, 300n);
});

test('stored offsets decide snapshot and resume point like Debezium', () => {
  assert.deepEqual(storedState(null), { kind: 'none' });
  assert.deepEqual(storedState({ snapshot: true, last_snapshot_record: false, lsn: 5 }), {
    kind: 'snapshot-incomplete',
  });
  assert.deepEqual(storedState({ snapshot: true, last_snapshot_record: true, lsn: 5 }), {
    kind: 'snapshot-complete',
  });
  assert.deepEqual(storedState({ lsn: 9, lsn_proc: 9, lsn_commit: 12, txId: 1, ts_usec: 1 }), {
    kind: 'streaming',
    resume: { commitLsn: 12n, eventLsn: 9n },
  });
  assert.equal(needsSnapshot('initial', { kind: 'none' }, false), true);
  assert.equal(needsSnapshot('initial', { kind: 'snapshot-incomplete' }, true), true);
  assert.equal(needsSnapshot('initial', { kind: 'snapshot-complete' }, true), false);
  assert.equal(needsSnapshot('no_data', { kind: 'none' }, false), false);
  assert.equal(
    needsSnapshot('when_needed', { kind: 'streaming', resume: { commitLsn: 1n, eventLsn: 1n } }, false),
    true,
  );
  assert.equal(needsSnapshot('always', { kind: 'snapshot-complete' }, true), true);
});

test('include and exclude lists match whole identifiers; system schemas are never captured', () => {
  const filters = new CaptureFilters({
    schemaInclude: ['app'],
    schemaExclude: [],
    tableInclude: [],
    tableExclude: ['app\\.tmp_.*'],
    columnInclude: [],
    columnExclude: ['app\\.users\\.password'],
  });
  assert.equal(filters.tableCaptured('app', 'users'), true);
  assert.equal(filters.tableCaptured('app', 'tmp_x'), false);
  assert.equal(filters.tableCaptured('application', 'users'), false);
  assert.equal(filters.tableCaptured('pg_catalog', 'pg_class'), false);
  assert.equal(filters.columnCaptured('app', 'users', 'password'), false);
  assert.equal(filters.columnCaptured('app', 'users', 'name'), true);
});

test('config: Debezium defaults, never is no_data, bad values name their key', () => {
  const base = {
    'database.hostname': 'h',
    'database.user': 'u',
    'database.dbname': 'd',
    'topic.prefix': 'p',
  };
  const s = cdcSettings(base);
  assert.equal(s.slotName, 'debezium');
  assert.equal(s.publicationName, 'dbz_publication');
  assert.equal(s.snapshotMode, 'initial');
  assert.equal(s.tombstonesOnDelete, true);
  assert.equal(s.maxBatchSize, 2048);
  assert.equal(s.maxQueueSize, 8192);
  assert.equal(cdcSettings({ ...base, 'snapshot.mode': 'never' }).snapshotMode, 'no_data');
  assert.throws(() => cdcSettings({ ...base, 'decimal.handling.mode': 'exact' }), /decimal\.handling\.mode/);
});
