import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitBySize } from '../../../runtime/kafka/kafkajs-producer.js';
import type { OutgoingMessage } from '../../../runtime/kafka/types.js';

const message = (i: number, bytes: number): OutgoingMessage => ({
  topic: 't',
  key: Buffer.from(String(i)),
  value: Buffer.alloc(bytes),
  headers: [],
});

test('a poll larger than the request limit is split into ordered requests under the limit', () => {
  const messages = Array.from({ length: 50 }, (_, i) => message(i, 100_000));
  const chunks = splitBySize(messages, 900_000);
  assert.ok(chunks.length >= 6, `expected several requests, got ${chunks.length}`);
  for (const chunk of chunks) assert.ok(chunk.reduce((n, m) => n + (m.value?.length ?? 0), 0) <= 900_000);
  assert.deepEqual(chunks.flat(), messages, 'every message once, in order');
});

test('a single message larger than the limit still goes out (the broker decides)', () => {
  const chunks = splitBySize([message(1, 2_000_000)], 900_000);
  assert.equal(chunks.length, 1);
});
