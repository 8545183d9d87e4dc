import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SinkRecord } from '../../../runtime/api/records.js';
import { ConsumedRecordIndex } from '../../../runtime/errors/consumed-record.js';
import { DeadLetterQueueReporter } from '../../../runtime/errors/dead-letter-queue-reporter.js';
import {
  createErrantRecordReporter,
  needsErrantRecordReporter,
} from '../../../runtime/errors/errant-record-reporter.js';
import { ErrorHandler } from '../../../runtime/errors/error-handler.js';
import { parseErrorHandlingConfig } from '../../../runtime/errors/error-handling-config.js';
import type { ToleranceType } from '../../../runtime/errors/error-handling-config.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { consumedRecord, FakeDeadLetterQueueProducer, headerText } from './fakes.js';

/** A sink record whose topic a RegexRouter renamed; its original coordinates point at the raw record. */
const transformed: SinkRecord = {
  topic: 'warehouse.orders',
  kafkaPartition: 3,
  kafkaOffset: 42,
  timestampType: 'CreateTime',
  originalTopic: 'orders',
  originalKafkaPartition: 3,
  originalKafkaOffset: 42,
  keySchema: null,
  key: 'order-7',
  valueSchema: null,
  value: { id: 7 },
  timestamp: 1_700_000_000_000,
  headers: [],
};

async function setup(tolerance: ToleranceType) {
  const producer = new FakeDeadLetterQueueProducer();
  const dlq = await DeadLetterQueueReporter.create({
    producer,
    topic: 'dlq',
    replicationFactor: 1,
    contextHeaders: true,
  });
  const handler = new ErrorHandler({ retryTimeoutMs: 0, retryMaxDelayMs: 0, tolerance, reporters: [dlq] });
  const index = new ConsumedRecordIndex();
  const raw = consumedRecord();
  index.remember(transformed, raw);
  const report = createErrantRecordReporter({
    handler,
    connector: 'pg-sink',
    taskId: 0,
    executingClass: 'PostgresSinkTask',
    lookupConsumedRecord: (r) => index.lookup(r),
  });
  return { producer, report, raw };
}

describe('errant record reporter', () => {
  test('tolerance all: the raw consumed record reaches the DLQ as a TASK_PUT failure', async () => {
    const { producer, report, raw } = await setup('all');
    await report(transformed, new Error('value too long for column "name"'));
    assert.equal(producer.sent.length, 1);
    const sent = producer.sent[0]!;
    assert.deepEqual(sent.value, raw.value);
    assert.deepEqual(sent.key, raw.key);
    assert.equal(headerText(sent, '__connect.errors.topic'), 'orders', 'original topic, not the renamed one');
    assert.equal(headerText(sent, '__connect.errors.stage'), 'TASK_PUT');
    assert.equal(headerText(sent, '__connect.errors.class.name'), 'PostgresSinkTask');
    assert.equal(headerText(sent, '__connect.errors.exception.message'), 'value too long for column "name"');
  });

  test('tolerance none: still written to the DLQ, then rejects with TOLERANCE_EXCEEDED', async () => {
    const { producer, report } = await setup('none');
    await assert.rejects(
      report(transformed, new Error('value too long')),
      (e: unknown) =>
        e instanceof SluiceError &&
        e.code === 'TOLERANCE_EXCEEDED' &&
        /TASK_PUT.*PostgresSinkTask.*value too long/.test(e.message),
    );
    await new Promise((r) => setImmediate(r));
    assert.equal(producer.sent.length, 1);
  });

  test('is only needed when a DLQ topic or error logging is configured (Connect)', () => {
    assert.equal(needsErrantRecordReporter(parseErrorHandlingConfig({})), false);
    assert.equal(needsErrantRecordReporter(parseErrorHandlingConfig({ 'errors.tolerance': 'all' })), false);
    assert.equal(
      needsErrantRecordReporter(parseErrorHandlingConfig({ 'errors.deadletterqueue.topic.name': 'dlq' })),
      true,
    );
    assert.equal(needsErrantRecordReporter(parseErrorHandlingConfig({ 'errors.log.enable': 'true' })), true);
  });
});
