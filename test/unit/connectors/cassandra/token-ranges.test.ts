import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenRanges } from '../../../../connectors/cassandra/backfill/token-ranges.js';

test('token ranges cover the Murmur3 ring once, contiguous, in order, of near-equal width', () => {
  for (const count of [1, 3, 16]) {
    const ranges = tokenRanges(count).map((u) => ({
      after: BigInt(String(u.spec['after'])),
      upTo: BigInt(String(u.spec['upTo'])),
    }));
    assert.equal(ranges.length, count);
    assert.equal(ranges[0]!.after, -(2n ** 63n));
    assert.equal(ranges.at(-1)!.upTo, 2n ** 63n - 1n);
    for (let i = 1; i < count; i++) assert.equal(ranges[i]!.after, ranges[i - 1]!.upTo);
    const widths = ranges.map((r) => r.upTo - r.after);
    const spread = widths.reduce((a, b) => (a > b ? a : b)) - widths.reduce((a, b) => (a < b ? a : b));
    assert.ok(spread <= 1n, `widths differ by ${spread}`);
  }
});
