import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ErrorHandler,
  isToleratedFailure,
  type ErrorHandlerOptions,
} from '../../../runtime/errors/error-handler.js';
import type {
  ErrorReport,
  ErrorReporter,
  ProcessingContext,
} from '../../../runtime/errors/error-reporter.js';
import { SluiceError, traceOf } from '../../../runtime/errors/sluice-error.js';
import { consumedRecord, FakeClock } from './fakes.js';

class RecordingReporter implements ErrorReporter {
  readonly reports: ErrorReport[] = [];
  report(report: ErrorReport): void {
    this.reports.push(report);
  }
}

const context: ProcessingContext = {
  connector: 'pg-sink',
  taskId: 2,
  consumedRecord: consumedRecord(),
  executingClass: 'JsonConverter',
};

function handler(overrides: Partial<ErrorHandlerOptions> = {}): {
  handler: ErrorHandler;
  reporter: RecordingReporter;
  clock: FakeClock;
} {
  const reporter = new RecordingReporter();
  const clock = new FakeClock();
  const h = new ErrorHandler({
    retryTimeoutMs: 0,
    retryMaxDelayMs: 60_000,
    tolerance: 'none',
    reporters: [reporter],
    clock,
    random: () => 0.5,
    ...overrides,
  });
  return { handler: h, reporter, clock };
}

const conversionError = (): SluiceError =>
  new SluiceError('CONVERSION_FAILED', [
    'JsonConverter',
    'orders',
    "Unexpected token '\\xff' in JSON at position 2",
  ]);

describe('ErrorHandler with errors.tolerance=all', () => {
  test('a failing converter record is reported to every reporter and skipped', () => {
    const second = new RecordingReporter();
    const { handler: h, reporter } = handler({ tolerance: 'all' });
    const withTwo = new ErrorHandler({
      retryTimeoutMs: 0,
      retryMaxDelayMs: 1,
      tolerance: 'all',
      reporters: [reporter, second],
    });
    const error = conversionError();
    const result = withTwo.executeSync(
      'VALUE_CONVERTER',
      () => {
        throw error;
      },
      context,
    );
    assert.ok(isToleratedFailure(result));
    assert.equal(result.stage, 'VALUE_CONVERTER');
    assert.equal(result.error, error);
    for (const r of [reporter, second]) {
      assert.equal(r.reports.length, 1);
      assert.equal(r.reports[0]?.stage, 'VALUE_CONVERTER');
      assert.equal(r.reports[0]?.error, error);
      assert.equal(r.reports[0]?.consumedRecord, context.consumedRecord);
      assert.equal(r.reports[0]?.connector, 'pg-sink');
    }
    const m = withTwo.metrics.snapshot();
    assert.equal(m.totalRecordFailures, 1);
    assert.equal(m.totalRecordErrors, 1);
    assert.equal(m.totalRecordsSkipped, 1);
    assert.ok(m.lastErrorTimestamp > 0);
    assert.equal(h.metrics.snapshot().totalRecordsSkipped, 0, 'separate handlers keep separate counters');
  });

  test('the success path returns the value and touches no counter or reporter', () => {
    const { handler: h, reporter } = handler({ tolerance: 'all' });
    const value = { converted: true };
    assert.equal(
      h.executeSync('TRANSFORMATION', () => value, context),
      value,
    );
    assert.equal(reporter.reports.length, 0);
    assert.deepEqual(h.metrics.snapshot().totalRecordFailures, 0);
  });

  test('a retryable put failure is retried, then skipped when retries run out', async () => {
    const {
      handler: h,
      reporter,
      clock,
    } = handler({ tolerance: 'all', retryTimeoutMs: 1_000, retryMaxDelayMs: 400 });
    let calls = 0;
    const result = await h.execute(
      'TASK_PUT',
      async () => {
        calls++;
        throw new SluiceError('RETRIABLE', ['connection reset']);
      },
      context,
    );
    assert.ok(isToleratedFailure(result));
    assert.ok(calls >= 3, `attempts: ${calls}`);
    assert.ok(
      clock.sleeps.every((ms) => ms <= 400),
      `sleeps ${clock.sleeps.join(',')}`,
    );
    assert.equal(reporter.reports.length, 1, 'reported once, after the last attempt');
    assert.equal(reporter.reports[0]?.attempts, calls);
    const m = h.metrics.snapshot();
    assert.equal(m.totalRetries, calls - 1);
    assert.equal(m.totalRecordFailures, calls);
    assert.equal(m.totalRecordErrors, 1);
    assert.equal(m.totalRecordsSkipped, 1);
  });

  test('a retried operation that recovers returns its value and reports nothing', async () => {
    const { handler: h, reporter } = handler({ tolerance: 'all', retryTimeoutMs: 10_000 });
    let calls = 0;
    const value = await h.execute(
      'KAFKA_PRODUCE',
      async () => {
        if (++calls < 3) throw new SluiceError('KAFKA_PRODUCE_FAILED', ['orders', 'leader not available']);
        return 'acked';
      },
      context,
    );
    assert.equal(value, 'acked');
    assert.equal(reporter.reports.length, 0);
    assert.equal(h.metrics.snapshot().totalRetries, 2);
    assert.equal(h.metrics.snapshot().totalRecordErrors, 0);
  });

  test('a non-retryable failure outside converters/transforms still fails the task (Connect rule)', async () => {
    const { handler: h, reporter } = handler({ tolerance: 'all', retryTimeoutMs: 10_000 });
    let calls = 0;
    await assert.rejects(
      h.execute(
        'TASK_PUT',
        async () => {
          calls++;
          throw new SluiceError('CONNECT_ERROR', ['permission denied for table orders']);
        },
        context,
      ),
      (e: unknown) =>
        e instanceof SluiceError &&
        e.code === 'ERROR_NOT_TOLERATED' &&
        e.message.includes('TASK_PUT') &&
        e.message.includes('permission denied for table orders'),
    );
    assert.equal(calls, 1, 'not retried');
    assert.equal(reporter.reports.length, 1, 'still reported');
  });
});

describe('ErrorHandler with errors.tolerance=none', () => {
  test('fails with TOLERANCE_EXCEEDED naming the stage, the class, the record and the cause', () => {
    const { handler: h, reporter } = handler({ tolerance: 'none' });
    const cause = conversionError();
    let thrown: unknown;
    try {
      h.executeSync(
        'VALUE_CONVERTER',
        () => {
          throw cause;
        },
        context,
      );
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof SluiceError);
    assert.equal(thrown.code, 'TOLERANCE_EXCEEDED');
    assert.equal(thrown.cause, cause);
    assert.match(
      thrown.message,
      /^Tolerance exceeded in error handler: Stage VALUE_CONVERTER failed in JsonConverter/,
    );
    assert.match(thrown.message, /topic=orders partition=3 offset=42/);
    assert.match(thrown.message, /connector pg-sink, task 2/);
    assert.ok(thrown.message.includes(cause.message), thrown.message);
    assert.match(thrown.message, /value\.converter/, 'says what to check');
    assert.match(thrown.message, /errors\.tolerance=all/, 'says how to skip');
    assert.match(
      traceOf(thrown),
      /Caused by: SluiceError \[CONVERSION_FAILED\]: Converter JsonConverter failed/,
    );
    assert.equal(reporter.reports.length, 1, 'reported before failing, as Connect does');
    assert.equal(h.metrics.snapshot().totalRecordsSkipped, 0);
  });

  test('retries a retryable error first, then fails once the timeout is spent', async () => {
    const { handler: h, clock } = handler({
      tolerance: 'none',
      retryTimeoutMs: 5_000,
      retryMaxDelayMs: 1_000,
    });
    const start = clock.now();
    let calls = 0;
    await assert.rejects(
      h.execute(
        'TASK_POLL',
        async () => {
          calls++;
          throw new SluiceError('RETRIABLE', ['replication slot busy']);
        },
        { connector: 'pg-source', taskId: 0 },
      ),
      (e: unknown) =>
        e instanceof SluiceError &&
        e.code === 'TOLERANCE_EXCEEDED' &&
        /TASK_POLL.*after \d+ attempts: replication slot busy/.test(e.message),
    );
    assert.ok(calls > 2);
    assert.ok(clock.now() - start <= 5_000);
  });
});

describe('ErrorHandler stopping and reporting', () => {
  test('abort during a backoff returns promptly with the abort reason and reports nothing', async () => {
    const controller = new AbortController();
    const reporter = new RecordingReporter();
    const h = new ErrorHandler({
      retryTimeoutMs: -1,
      retryMaxDelayMs: 60_000,
      tolerance: 'all',
      reporters: [reporter],
      signal: controller.signal,
      random: () => 0.99,
    });
    const started = Date.now();
    const running = h.execute(
      'TASK_PUT',
      async () => {
        setTimeout(() => controller.abort(new Error('task stopping')), 5);
        throw new SluiceError('RETRIABLE', ['busy']);
      },
      context,
    );
    await assert.rejects(running, /task stopping/);
    assert.ok(Date.now() - started < 1_000);
    assert.equal(reporter.reports.length, 0);
  });

  test('awaitReports waits for in-flight reports and surfaces a failed one', async () => {
    let release!: () => void;
    const slow: ErrorReporter = { report: () => new Promise<void>((resolve) => (release = resolve)) };
    const broken: ErrorReporter = { report: async () => Promise.reject(new Error('dlq down')) };
    const h = new ErrorHandler({
      retryTimeoutMs: 0,
      retryMaxDelayMs: 0,
      tolerance: 'all',
      reporters: [slow, broken],
    });
    assert.ok(
      isToleratedFailure(
        h.executeSync(
          'TRANSFORMATION',
          () => {
            throw new Error('bad field');
          },
          context,
        ),
      ),
    );
    let done = false;
    const waiting = h.awaitReports().then(
      () => (done = true),
      (e: unknown) => {
        done = true;
        throw e;
      },
    );
    await new Promise((r) => setTimeout(r, 5));
    assert.equal(done, false, 'still waiting for the slow reporter');
    release();
    await assert.rejects(waiting, /dlq down/);
    await h.awaitReports(); // the failure is surfaced once
  });

  test('reportFailure with tolerance all resolves once reported; with none rejects with TOLERANCE_EXCEEDED', async () => {
    const all = handler({ tolerance: 'all' });
    await all.handler.reportFailure('TASK_PUT', new Error('row too wide'), context);
    assert.equal(all.reporter.reports.length, 1);
    assert.equal(all.handler.metrics.snapshot().totalRecordsSkipped, 1);

    const none = handler({ tolerance: 'none' });
    await assert.rejects(
      none.handler.reportFailure('TASK_PUT', new Error('row too wide'), context),
      (e: unknown) =>
        e instanceof SluiceError &&
        e.code === 'TOLERANCE_EXCEEDED' &&
        /TASK_PUT.*row too wide/.test(e.message),
    );
    assert.equal(none.reporter.reports.length, 1);
  });
});
