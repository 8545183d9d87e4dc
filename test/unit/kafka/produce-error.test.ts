// A failed send is retried only when Kafka said "not now": a record too large or a refused authorization
// would otherwise be retried for ever under errors.retry.timeout=-1 while the task looked RUNNING.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { produceError } from '../../../runtime/kafka/kafkajs-producer.js';

// Loaded with require() after the imports ran: runtime/kafka installs its record format before kafkajs loads.
const kafkajs = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');
type ErrorClass = new (...args: unknown[]) => Error;
const KafkaJSProtocolError = kafkajs.KafkaJSProtocolError as unknown as ErrorClass;
const KafkaJSConnectionError = kafkajs.KafkaJSConnectionError as unknown as ErrorClass;

test('a record too large or a refused authorization is KAFKA_FATAL, not retried', () => {
  for (const [type, code] of [
    ['MESSAGE_TOO_LARGE', 10],
    ['TOPIC_AUTHORIZATION_FAILED', 29],
  ] as const) {
    const error = produceError(
      'orders',
      new KafkaJSProtocolError({ message: type, type, code, retriable: false }),
    );
    assert.equal(error.code, 'KAFKA_FATAL', type);
    assert.equal(error.retryable, false, type);
    assert.match(error.message, /orders/);
    assert.match(error.message, new RegExp(type));
  }
});

test('a leader moving or a lost connection is KAFKA_PRODUCE_FAILED, retried', () => {
  const notLeader = new KafkaJSProtocolError({
    message: 'This server is not the leader for that topic-partition',
    type: 'NOT_LEADER_FOR_PARTITION',
    code: 6,
    retriable: true,
  });
  for (const cause of [notLeader, new KafkaJSConnectionError('Connection error: ECONNREFUSED')]) {
    const error = produceError('orders', cause);
    assert.equal(error.code, 'KAFKA_PRODUCE_FAILED');
    assert.equal(error.retryable, true);
    assert.match(error.message, /orders/);
  }
});
