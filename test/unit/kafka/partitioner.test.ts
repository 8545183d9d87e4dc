import assert from 'node:assert/strict';
import { test } from 'node:test';
import { murmur2, partitionForKey } from '../../../runtime/kafka/partitioner.js';

// Expected values computed by Kafka's Java Utils.murmur2 (see its UtilsTest).
test('murmur2 matches the Java client for known inputs', () => {
  const cases: [string, number][] = [
    ['21', -973932308],
    ['foobar', -790332482],
    ['a-little-bit-long-string', -985981536],
    ['a-little-bit-longer-string', -1486304829],
    ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
    ['abc', 479470107],
  ];
  for (const [input, expected] of cases) assert.equal(murmur2(Buffer.from(input)), expected, input);
});

test('keyed partition is stable and within range', () => {
  const p = partitionForKey(Buffer.from('order-42'), 12);
  assert.ok(p >= 0 && p < 12);
  assert.equal(partitionForKey(Buffer.from('order-42'), 12), p);
});
