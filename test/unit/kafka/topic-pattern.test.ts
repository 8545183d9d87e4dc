import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sameTopics, topicsMatching } from '../../../runtime/kafka/topic-pattern.js';

test('topics.regex must match the whole topic name, as Java’s Pattern.matcher(topic).matches()', () => {
  const topics = ['orders', 'orders.eu', 'all-orders', 'orders-archive.old', 'ORDERS'];
  assert.deepEqual(topicsMatching(/orders/, topics), ['orders']);
  assert.deepEqual(topicsMatching(/orders.*/, topics), ['orders', 'orders-archive.old', 'orders.eu']);
  assert.deepEqual(topicsMatching(/orders\.eu|all-orders/, topics), ['all-orders', 'orders.eu']);
  // The worker hands over an already anchored pattern; anchoring twice changes nothing.
  assert.deepEqual(topicsMatching(/^(?:orders.*)$/, topics), ['orders', 'orders-archive.old', 'orders.eu']);
});

test('internal topics (names starting with __) are never matched', () => {
  const topics = ['__consumer_offsets', '__transaction_state', '_schemas', 'events'];
  assert.deepEqual(topicsMatching(/.*/, topics), ['_schemas', 'events']);
  assert.deepEqual(topicsMatching(/__.*/, topics), []);
});

test('the result is sorted and free of duplicates; a global flag does not make matching stateful', () => {
  assert.deepEqual(topicsMatching(/t.*/g, ['tb', 'ta', 'tb', 'tc']), ['ta', 'tb', 'tc']);
});

test('sameTopics compares sorted lists', () => {
  assert.equal(sameTopics(['a', 'b'], ['a', 'b']), true);
  assert.equal(sameTopics(['a', 'b'], ['a']), false);
  assert.equal(sameTopics(['a', 'b'], ['a', 'c']), false);
  assert.equal(sameTopics([], []), true);
});
