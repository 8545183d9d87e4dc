import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorHandlingMetrics } from '../../../runtime/errors/error-handling-metrics.js';
import type { ErrorReport } from '../../../runtime/errors/error-reporter.js';
import { LogReporter } from '../../../runtime/errors/log-reporter.js';
import { consumedRecord, FakeLogger } from './fakes.js';

const report: ErrorReport = {
  connector: 'pg-sink',
  taskId: 1,
  stage: 'TRANSFORMATION',
  executingClass: 'ReplaceField',
  error: new Error('field "id" not found'),
  attempts: 1,
  consumedRecord: consumedRecord({ key: Buffer.from('customer-secret'), value: Buffer.from('{"name":"x"}') }),
};

describe('LogReporter', () => {
  test('logs where it failed at ERROR, without record contents by default', () => {
    const logger = new FakeLogger();
    const metrics = new ErrorHandlingMetrics();
    new LogReporter({ logger, includeMessages: false, metrics }).report(report);
    assert.equal(logger.lines.length, 1);
    const line = logger.lines[0]!;
    assert.equal(line.level, 'error');
    assert.equal(
      line.message,
      "Error encountered in task pg-sink-1. Executing stage 'TRANSFORMATION' with class 'ReplaceField'.",
    );
    assert.equal(line.fields?.errorMessage, 'field "id" not found');
    assert.match(String(line.fields?.trace), /Error: field "id" not found/);
    assert.equal(line.fields?.record, undefined);
    assert.doesNotMatch(JSON.stringify(line), /customer-secret/);
    assert.equal(metrics.snapshot().totalErrorsLogged, 1);
  });

  test('with include.messages adds topic/partition/offset and key/value', () => {
    const logger = new FakeLogger();
    new LogReporter({ logger, includeMessages: true }).report(report);
    const line = logger.lines[0]!;
    assert.match(line.message, /where consumed record is \{topic='orders', partition=3, offset=42\}/);
    const record = line.fields?.record as Record<string, unknown>;
    assert.equal(record.topic, 'orders');
    assert.equal(record.partition, 3);
    assert.equal(record.offset, 42);
    assert.equal(record.key, 'customer-secret');
    assert.equal(record.value, '{"name":"x"}');
  });

  test('binary values are logged as base64, not mangled', () => {
    const logger = new FakeLogger();
    new LogReporter({ logger, includeMessages: true }).report({
      ...report,
      consumedRecord: consumedRecord(),
    });
    const record = logger.lines[0]!.fields?.record as Record<string, unknown>;
    assert.equal(record.value, `base64:${Buffer.from([0x7b, 0x22, 0xff, 0x00]).toString('base64')}`);
  });
});
