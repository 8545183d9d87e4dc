import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../../runtime/kafka/kafkajs-library.js';
import { orderedHeadersOf } from '../../../runtime/kafka/kafkajs-record-format.js';

// Headers written and read back through a whole record batch: kafkajs-produce-request.test.ts.

test('headers from a plain kafkajs object (no ordered list) keep their values; none is an empty list', () => {
  assert.deepEqual(orderedHeadersOf({ a: ['1', Buffer.from('2')], b: undefined }), [
    { key: 'a', value: Buffer.from('1') },
    { key: 'a', value: Buffer.from('2') },
    { key: 'b', value: null },
  ]);
  assert.deepEqual(orderedHeadersOf({}), []);
});
