import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../../runtime/api/index.js';
import { SnapshotProgress } from '../../../../connectors/postgres/cdc/snapshot-progress.js';

describe('CDC snapshot progress', () => {
  test('a line every few seconds with rows done of the estimate, rate and time left, and one at the end', () => {
    const lines: string[] = [];
    const ignore = (): void => undefined;
    const logger: Logger = { debug: ignore, warn: ignore, error: ignore, info: (m) => void lines.push(m) };
    let now = 0;
    const progress = new SnapshotProgress(logger, 2, () => now);
    progress.startTable('public.orders', 0, 100_000);
    for (let i = 0; i < 10; i++) {
      now += 1_000;
      progress.rowsRead(5_000);
    }
    progress.endTable();
    assert.deepEqual(lines, [
      'Snapshot of public.orders started (table 1 of 2, about 100000 row(s))',
      'Snapshot of public.orders: 25000 row(s) of about 100000 (25%), 5000 rows/s, about 15 s left',
      'Snapshot of public.orders: 50000 row(s) of about 100000 (50%), 5000 rows/s, about 10 s left',
      'Snapshot of public.orders done: 50000 row(s) in 10.0 s',
    ]);
  });
});
