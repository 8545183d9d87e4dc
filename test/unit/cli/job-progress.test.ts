import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  finalLine,
  formatDuration,
  fractionDone,
  progressBar,
  progressLine,
} from '../../../cli/commands/job-progress.js';
import type { JobView } from '../../../runtime/jobs/job-service.js';

const job = (over: Partial<JobView['progress']> = {}, state: JobView['state'] = 'active'): JobView => ({
  id: 'j1',
  type: 'backfill',
  config: {},
  state,
  progress: {
    units_done: 1,
    units_total: 4,
    records: 4500,
    bytes: 0,
    estimated_records: 10_000,
    records_per_second: 1234.5,
    eta_seconds: 65,
    possible_duplicates: 0,
    ...over,
  },
  created_at: '2026-01-01T00:00:00.000Z',
  started_at: '2026-01-01T00:00:01.000Z',
  finished_at: state === 'active' ? null : '2026-01-01T00:00:11.000Z',
  error: state === 'failed' ? 'boom' : null,
  result: null,
});

test('progress is records against the estimate, or finished units when there is none', () => {
  assert.equal(fractionDone(job()), 0.45);
  assert.equal(fractionDone(job({ estimated_records: null })), 0.25);
  assert.equal(fractionDone(job({ records: 20_000 })), 1);
  assert.equal(fractionDone(job({ records: 0 }, 'completed')), 1);
});

test('durations read as a person says them', () => {
  assert.equal(formatDuration(null), '-');
  assert.equal(formatDuration(9.6), '10s');
  assert.equal(formatDuration(65), '1m05s');
  assert.equal(formatDuration(7384), '2h03m');
});

test('the bar fills with the fraction and fits the terminal', () => {
  const line = progressBar(job(), 80);
  assert.ok(line.length <= 80, line);
  assert.match(
    line,
    /^\[█+░+\] {3}45% {2}4\.5k\/10\.0k records {2}1\.2k rec\/s {2}ETA 1m05s {2}units 1\/4 {2}active$/,
  );
  const cells = /^\[([█░]+)\]/.exec(progressBar(job(), 200))![1]!;
  assert.equal(cells.length, 40, 'at most 40 cells');
  assert.equal([...cells].filter((c) => c === '█').length, 18);
});

test('plain lines carry no control characters, and the final line says how the job ended', () => {
  const line = progressLine(job(), new Date('2026-01-01T00:00:05.000Z'));
  assert.equal(
    line,
    '2026-01-01T00:00:05.000Z job j1 active 45% records=4500/10000 rate=1234.5/s eta=1m05s units=1/4',
  );
  assert.equal(
    finalLine(job({ possible_duplicates: 3 }, 'completed')),
    'job j1 completed: 4500 record(s) in 10s, 3 possible duplicate(s)',
  );
  assert.equal(finalLine(job({}, 'failed')), 'job j1 failed: 4500 record(s) in 10s: boom');
});
