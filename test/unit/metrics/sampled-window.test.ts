import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SampledWindow } from '../../../runtime/metrics/sampled-window.js';

test('avg and max cover the live samples; NaN before anything was recorded', () => {
  const window = new SampledWindow(0, 30_000, 2);
  assert.ok(Number.isNaN(window.avg(0)));
  assert.ok(Number.isNaN(window.max(0)));
  window.record(10, 1_000);
  window.record(30, 2_000);
  window.record(5, 31_000); // second sample
  assert.equal(window.avg(31_000), 15);
  assert.equal(window.max(31_000), 30);
});

test('values older than every sample expire', () => {
  const window = new SampledWindow(0, 30_000, 2);
  window.record(100, 1_000);
  assert.equal(window.max(59_000), 100);
  assert.ok(Number.isNaN(window.max(61_000)));
  assert.ok(Number.isNaN(window.avg(61_000)));
  assert.equal(window.rate(61_000), 0);
});

test('rate divides by at least all but one sample length, as Kafka does', () => {
  const window = new SampledWindow(0, 30_000, 2);
  window.record(3_000, 1_000);
  // Only 1 s elapsed, but the rate is taken over 30 s: 3000 / 30 = 100/s.
  assert.equal(window.rate(1_000), 100);
  window.record(3_000, 40_000);
  // 6000 over the 40 s since the oldest sample started.
  assert.equal(window.rate(40_000), 150);
});
