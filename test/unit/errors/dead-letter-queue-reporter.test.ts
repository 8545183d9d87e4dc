import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DeadLetterQueueReporter } from '../../../runtime/errors/dead-letter-queue-reporter.js';
import { ErrorHandlingMetrics } from '../../../runtime/errors/error-handling-metrics.js';
import type { ErrorReport } from '../../../runtime/errors/error-reporter.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { consumedRecord, FakeDeadLetterQueueProducer, FakeLogger, headerText } from './fakes.js';

const connectHeaderNames = [
  '__connect.errors.topic',
  '__connect.errors.partition',
  '__connect.errors.offset',
  '__connect.errors.connector.name',
  '__connect.errors.task.id',
  '__connect.errors.stage',
  '__connect.errors.class.name',
  '__connect.errors.exception.class.name',
  '__connect.errors.exception.message',
  '__connect.errors.exception.stacktrace',
];

function failure(overrides: Partial<ErrorReport> = {}): ErrorReport {
  return {
    connector: 'pg-sink',
    taskId: 4,
    stage: 'VALUE_CONVERTER',
    executingClass: 'JsonConverter',
    error: new SluiceError('CONVERSION_FAILED', ['JsonConverter', 'orders', 'Unexpected token']),
    attempts: 1,
    consumedRecord: consumedRecord(),
    ...overrides,
  };
}

async function reporter(
  contextHeaders: boolean,
  producer = new FakeDeadLetterQueueProducer(),
  metrics = new ErrorHandlingMetrics(),
) {
  const dlq = await DeadLetterQueueReporter.create({
    producer,
    topic: 'dlq-pg-sink',
    replicationFactor: 1,
    contextHeaders,
    metrics,
    logger: new FakeLogger(),
  });
  return { dlq, producer, metrics };
}

describe('DeadLetterQueueReporter', () => {
  test('creates the topic with the configured replication factor before use', async () => {
    const { producer } = await reporter(false);
    assert.deepEqual(producer.ensured, [{ topic: 'dlq-pg-sink', replicationFactor: 1 }]);
  });

  test('writes the original consumed bytes, headers and timestamp unchanged', async () => {
    const { dlq, producer } = await reporter(false);
    const original = consumedRecord();
    await dlq.report(failure({ consumedRecord: original }));
    assert.equal(producer.sent.length, 1);
    const sent = producer.sent[0]!;
    assert.equal(sent.topic, 'dlq-pg-sink');
    assert.deepEqual(sent.key, Buffer.from('order-7'));
    assert.deepEqual(sent.value, Buffer.from([0x7b, 0x22, 0xff, 0x00]), 'binary value is not re-encoded');
    assert.deepEqual(
      sent.headers,
      [{ key: 'trace-id', value: Buffer.from('abc') }],
      'no context headers unless enabled',
    );
    assert.equal(sent.timestamp, 1_700_000_000_000);
  });

  test('null key/value stay null and a missing timestamp is left for the broker', async () => {
    const { dlq, producer } = await reporter(false);
    await dlq.report(
      failure({ consumedRecord: consumedRecord({ key: null, value: null, timestamp: null, headers: [] }) }),
    );
    const sent = producer.sent[0]!;
    assert.equal(sent.key, null);
    assert.equal(sent.value, null);
    assert.equal('timestamp' in sent, false);
  });

  test("context headers: exactly Connect's names, after the original headers, UTF-8 values", async () => {
    const { dlq, producer } = await reporter(true);
    const error = new SluiceError('CONVERSION_FAILED', ['JsonConverter', 'orders', 'Unexpected token ü']);
    await dlq.report(failure({ error }));
    const sent = producer.sent[0]!;
    assert.deepEqual(
      sent.headers.map((h) => h.key),
      ['trace-id', ...connectHeaderNames],
    );
    assert.equal(headerText(sent, '__connect.errors.topic'), 'orders');
    assert.equal(headerText(sent, '__connect.errors.partition'), '3');
    assert.equal(headerText(sent, '__connect.errors.offset'), '42');
    assert.equal(headerText(sent, '__connect.errors.connector.name'), 'pg-sink');
    assert.equal(headerText(sent, '__connect.errors.task.id'), '4');
    assert.equal(headerText(sent, '__connect.errors.stage'), 'VALUE_CONVERTER');
    assert.equal(headerText(sent, '__connect.errors.class.name'), 'JsonConverter');
    assert.equal(headerText(sent, '__connect.errors.exception.class.name'), 'SluiceError');
    assert.equal(headerText(sent, '__connect.errors.exception.message'), error.message);
    assert.ok(error.message.endsWith('ü'));
    const trace = headerText(sent, '__connect.errors.exception.stacktrace') ?? '';
    assert.ok(trace.startsWith(`SluiceError [CONVERSION_FAILED]: ${error.message}`), trace);
    assert.match(trace, /\n\s+at /, 'carries the stack');
  });

  test('a record without an original consumed record is counted as a failed request, not sent', async () => {
    const { dlq, producer, metrics } = await reporter(true);
    await dlq.report(failure({ consumedRecord: undefined }));
    assert.equal(producer.sent.length, 0);
    assert.equal(metrics.snapshot().deadLetterQueueProduceRequests, 1);
    assert.equal(metrics.snapshot().deadLetterQueueProduceFailures, 1);
  });

  test('a failed send rejects with DEAD_LETTER_QUEUE_WRITE_FAILED naming the topic and is counted', async () => {
    const producer = new FakeDeadLetterQueueProducer();
    producer.failWith = new Error('NOT_ENOUGH_REPLICAS');
    const { dlq, metrics } = await reporter(false, producer);
    await assert.rejects(
      dlq.report(failure()),
      (e: unknown) =>
        e instanceof SluiceError &&
        e.code === 'DEAD_LETTER_QUEUE_WRITE_FAILED' &&
        /dlq-pg-sink.*NOT_ENOUGH_REPLICAS/.test(e.message),
    );
    assert.equal(metrics.snapshot().deadLetterQueueProduceFailures, 1);
  });

  test('close closes the producer', async () => {
    const { dlq, producer } = await reporter(false);
    await dlq.close();
    assert.equal(producer.closed, true);
  });
});
