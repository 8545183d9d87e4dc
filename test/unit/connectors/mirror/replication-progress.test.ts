import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../../runtime/api/index.js';
import { ReplicationProgress } from '../../../../connectors/mirror/replication-progress.js';

describe('mirror catch-up progress', () => {
  test('one line per busy interval (an idle one says nothing): records, rate and the age of the newest record copied', () => {
    const lines: string[] = [];
    const ignore = (): void => undefined;
    const logger: Logger = { debug: ignore, warn: ignore, error: ignore, info: (m) => void lines.push(m) };
    let now = 1_000_000;
    const progress = new ReplicationProgress(logger, () => now);
    now += 10_000;
    progress.polled(5_000, 500_000, now - 60_000);
    now += 10_000;
    progress.polled(0, 0, -1);
    now += 10_000;
    progress.polled(100, 1_000, now - 200);
    assert.deepEqual(lines, [
      'replicated 5000 record(s) in 10 s (500 records/s), newest record 60 s old: catching up',
      'replicated 100 record(s) in 10 s (10 records/s), newest record 0 s old: keeping up',
    ]);
  });
});
