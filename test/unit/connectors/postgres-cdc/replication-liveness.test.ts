import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplicationLiveness } from '../../../../connectors/postgres/cdc/replication-liveness.js';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1_000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

test('silence: alive, then one reply request at half the timeout, then lost at the timeout', () => {
  const c = clock();
  const liveness = new ReplicationLiveness(1_000, c.now);
  c.advance(499);
  assert.equal(liveness.check(), 'alive');
  c.advance(1);
  assert.equal(liveness.check(), 'ask');
  c.advance(100);
  assert.equal(liveness.check(), 'alive', 'asked once per silence');
  c.advance(400);
  assert.equal(liveness.check(), 'lost');
  assert.equal(liveness.silentMs, 1_000);
});

test('a message resets the clock and allows a new request', () => {
  const c = clock();
  const liveness = new ReplicationLiveness(1_000, c.now);
  c.advance(600);
  assert.equal(liveness.check(), 'ask');
  liveness.heard();
  c.advance(900);
  assert.notEqual(liveness.check(), 'lost');
  c.advance(100);
  assert.equal(liveness.check(), 'lost');
});

test('time the task spent not reading (backpressure) does not count as silence', () => {
  const c = clock();
  const liveness = new ReplicationLiveness(1_000, c.now);
  liveness.suspend();
  c.advance(5_000);
  assert.equal(liveness.check(), 'alive');
  liveness.resumed();
  c.advance(999);
  assert.notEqual(liveness.check(), 'lost');
});

test('a timeout of 0 never gives up', () => {
  const c = clock();
  const liveness = new ReplicationLiveness(0, c.now);
  c.advance(10_000_000);
  assert.equal(liveness.check(), 'alive');
});
