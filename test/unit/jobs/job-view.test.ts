import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobView, type ParentSnapshot, type UnitSnapshot } from '../../../runtime/jobs/job-view.js';
import type { UnitData } from '../../../runtime/jobs/stored-job.js';

const parent = (over: Partial<ParentSnapshot> = {}): ParentSnapshot => ({
  id: 'j',
  data: {
    type: 'backfill',
    config: { table: 't', 'database.password': 'secret' },
    unitCount: 2,
    estimatedRecords: 1000,
    createdAt: 0,
  },
  state: 'waiting-children',
  finishedOn: null,
  failedReason: null,
  result: null,
  cancelled: false,
  ...over,
});

const unit = (state: UnitSnapshot['state'], records: number, processedOn: number | null): UnitSnapshot => ({
  data: { records, bytes: records * 10, possibleDuplicates: 0 } as UnitData,
  state,
  processedOn,
  failedReason: state === 'failed' ? 'boom' : null,
});

test('a job with a running unit is active, with rate and ETA from the estimate', () => {
  const v = jobView(parent(), [unit('completed', 500, 1000), unit('active', 250, 2000)], 6000);
  assert.equal(v.state, 'active');
  assert.equal(v.progress.units_done, 1);
  assert.equal(v.progress.records, 750);
  assert.equal(v.progress.records_per_second, 150);
  assert.equal(v.progress.eta_seconds, 1.7);
  assert.equal(v.started_at, new Date(1000).toISOString());
  assert.equal(v.config['database.password'], '[hidden]');
});

test('nothing started yet is waiting; a cancel mark wins over the failure it causes', () => {
  assert.equal(jobView(parent(), [unit('waiting', 0, null), unit('waiting', 0, null)], 1).state, 'waiting');
  const cancelled = jobView(
    parent({ state: 'failed', cancelled: true, finishedOn: 5 }),
    [unit('failed', 1, 1)],
    9,
  );
  assert.equal(cancelled.state, 'cancelled');
  assert.equal(cancelled.error, null);
  assert.equal(cancelled.progress.eta_seconds, null);
});

test("a failed job shows its failed unit's error", () => {
  const v = jobView(parent({ state: 'failed', failedReason: 'child failed' }), [unit('failed', 0, 1)], 2);
  assert.equal(v.state, 'failed');
  assert.equal(v.error, 'boom');
});
