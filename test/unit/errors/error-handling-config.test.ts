import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createErrorReporters } from '../../../runtime/errors/create-error-reporters.js';
import { DeadLetterQueueReporter } from '../../../runtime/errors/dead-letter-queue-reporter.js';
import { ErrorHandlingMetrics } from '../../../runtime/errors/error-handling-metrics.js';
import { parseErrorHandlingConfig } from '../../../runtime/errors/error-handling-config.js';
import { LogReporter } from '../../../runtime/errors/log-reporter.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { FakeDeadLetterQueueProducer, FakeLogger } from './fakes.js';

describe('errors.* connector options', () => {
  test("defaults match Kafka Connect's", () => {
    assert.deepEqual(parseErrorHandlingConfig({}), {
      retryTimeoutMs: 0,
      retryMaxDelayMs: 60_000,
      tolerance: 'none',
      logEnable: false,
      logIncludeMessages: false,
      deadLetterQueueTopic: '',
      deadLetterQueueReplicationFactor: 3,
      deadLetterQueueContextHeaders: false,
    });
  });

  test('parses every option', () => {
    const parsed = parseErrorHandlingConfig({
      'errors.retry.timeout': '-1',
      'errors.retry.delay.max.ms': '5000',
      'errors.tolerance': 'ALL',
      'errors.log.enable': 'true',
      'errors.log.include.messages': 'true',
      'errors.deadletterqueue.topic.name': ' dlq-orders ',
      'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    assert.equal(parsed.retryTimeoutMs, -1);
    assert.equal(parsed.retryMaxDelayMs, 5000);
    assert.equal(parsed.tolerance, 'all');
    assert.equal(parsed.deadLetterQueueTopic, 'dlq-orders');
    assert.equal(parsed.deadLetterQueueReplicationFactor, 1);
    assert.equal(parsed.deadLetterQueueContextHeaders, true);
  });

  test('bad values are rejected with INVALID_CONFIG naming each key', () => {
    assert.throws(
      () => parseErrorHandlingConfig({ 'errors.tolerance': 'some', 'errors.retry.timeout': '-5' }),
      (e: unknown) =>
        e instanceof SluiceError &&
        e.code === 'INVALID_CONFIG' &&
        e.message.includes('errors.tolerance') &&
        e.message.includes('errors.retry.timeout'),
    );
  });

  test('createErrorReporters builds the log and DLQ reporters the options ask for', async () => {
    const producer = new FakeDeadLetterQueueProducer();
    const deps = {
      logger: new FakeLogger(),
      metrics: new ErrorHandlingMetrics(),
      deadLetterQueueProducer: producer,
    };
    assert.deepEqual(await createErrorReporters(parseErrorHandlingConfig({}), deps), []);
    const both = await createErrorReporters(
      parseErrorHandlingConfig({
        'errors.log.enable': 'true',
        'errors.deadletterqueue.topic.name': 'dlq',
        'errors.deadletterqueue.topic.replication.factor': '2',
      }),
      deps,
    );
    assert.ok(both[0] instanceof LogReporter);
    assert.ok(both[1] instanceof DeadLetterQueueReporter);
    assert.deepEqual(producer.ensured, [{ topic: 'dlq', replicationFactor: 2 }]);
  });
});
