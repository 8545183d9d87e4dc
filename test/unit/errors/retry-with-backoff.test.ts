import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, retryWithBackoff } from '../../../runtime/errors/retry-with-backoff.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { FakeClock } from './fakes.js';

const retriable = (): SluiceError => new SluiceError('RETRIABLE', ['database busy']);
const fatal = (): SluiceError => new SluiceError('CONNECT_ERROR', ['table missing']);
const topOfRange = (): number => 0.999999;

describe('retryWithBackoff', () => {
  test('returns the value of the first successful attempt', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const value = await retryWithBackoff(
      async () => {
        calls++;
        if (calls < 3) throw retriable();
        return 'written';
      },
      { timeoutMs: 60_000, maxDelayMs: 10_000, clock, random: topOfRange },
    );
    assert.equal(value, 'written');
    assert.equal(calls, 3);
    assert.equal(clock.sleeps.length, 2);
  });

  test('does not retry an error whose code is not retryable', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const error = fatal();
    await assert.rejects(
      retryWithBackoff(
        async () => {
          calls++;
          throw error;
        },
        { timeoutMs: 60_000, maxDelayMs: 10_000, clock },
      ),
      (e) => e === error,
    );
    assert.equal(calls, 1);
    assert.deepEqual(clock.sleeps, []);
  });

  test('does not retry plain errors even when their message says "retriable"', async () => {
    let calls = 0;
    await assert.rejects(
      retryWithBackoff(
        async () => {
          calls++;
          throw new Error('retriable: try again');
        },
        { timeoutMs: 60_000, maxDelayMs: 10_000, clock: new FakeClock() },
      ),
    );
    assert.equal(calls, 1);
  });

  test('timeoutMs 0 means a single attempt', async () => {
    const clock = new FakeClock();
    let calls = 0;
    await assert.rejects(
      retryWithBackoff(
        async () => {
          calls++;
          throw retriable();
        },
        { timeoutMs: 0, maxDelayMs: 10_000, clock },
      ),
      /database busy/,
    );
    assert.equal(calls, 1);
  });

  test('delay ceilings double from initialDelayMs and are capped at maxDelayMs', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const reported: number[] = [];
    await retryWithBackoff(
      async () => {
        if (++calls <= 6) throw retriable();
        return 'ok';
      },
      {
        timeoutMs: 3_600_000,
        maxDelayMs: 5_000,
        initialDelayMs: 300,
        clock,
        random: () => 0.5,
        onRetry: (_attempt, _error, delayMs) => reported.push(delayMs),
      },
    );
    // ceilings 300, 600, 1200, 2400, 4800, 5000 (capped); half of each with random 0.5
    assert.deepEqual(clock.sleeps, [150, 300, 600, 1200, 2400, 2500]);
    assert.deepEqual(reported, clock.sleeps);
  });

  test('jitter keeps every delay within [0, ceiling]', () => {
    for (let retry = 1; retry < 40; retry++) {
      assert.equal(
        backoffDelay(retry, 300, 60_000, () => 0),
        0,
      );
      const top = backoffDelay(retry, 300, 60_000, topOfRange);
      assert.ok(top <= Math.min(60_000, 300 * 2 ** (retry - 1)), `retry ${retry}: ${top}`);
    }
  });

  test('stops at the timeout: total time never exceeds timeoutMs and the last error is rethrown', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const attemptTimes: number[] = [];
    let last: SluiceError | undefined;
    await assert.rejects(
      retryWithBackoff(
        async () => {
          attemptTimes.push(clock.now() - start);
          last = retriable();
          throw last;
        },
        { timeoutMs: 2_000, maxDelayMs: 1_000, clock, random: topOfRange },
      ),
      (e) => e === last,
    );
    assert.ok(clock.now() - start <= 2_000, `elapsed ${clock.now() - start}`);
    // the final sleep is shortened to end exactly at the deadline, where one last attempt runs
    assert.equal(attemptTimes.at(-1), 2_000);
    assert.ok(attemptTimes.length >= 3);
  });

  test('timeoutMs -1 keeps retrying past any time budget until it succeeds', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const value = await retryWithBackoff(
      async () => {
        if (++calls < 50) throw retriable();
        return calls;
      },
      { timeoutMs: -1, maxDelayMs: 60_000, clock, random: topOfRange },
    );
    assert.equal(value, 50);
    assert.ok(clock.now() - 1_000_000 > 1_800_000, 'slept for more than half an hour in total');
  });

  test('a custom isRetryable decides instead of the error code', async () => {
    let calls = 0;
    await assert.rejects(
      retryWithBackoff(
        async () => {
          calls++;
          throw retriable();
        },
        { timeoutMs: 60_000, maxDelayMs: 1_000, clock: new FakeClock(), isRetryable: () => false },
      ),
    );
    assert.equal(calls, 1);
  });

  test('abort during a real backoff sleep rejects promptly with the abort reason', async () => {
    const controller = new AbortController();
    let calls = 0;
    const started = Date.now();
    const running = retryWithBackoff(
      async () => {
        calls++;
        throw retriable();
      },
      {
        timeoutMs: -1,
        maxDelayMs: 60_000,
        initialDelayMs: 60_000,
        random: topOfRange,
        signal: controller.signal,
        onRetry: () => setTimeout(() => controller.abort(new Error('task stopping')), 10),
      },
    );
    await assert.rejects(running, /task stopping/);
    assert.ok(Date.now() - started < 1_000, `took ${Date.now() - started} ms`);
    assert.equal(calls, 1);
  });

  test('an already aborted signal runs nothing', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped'));
    let calls = 0;
    await assert.rejects(
      retryWithBackoff(
        async () => {
          calls++;
          return 1;
        },
        { timeoutMs: 0, maxDelayMs: 0, signal: controller.signal },
      ),
      /stopped/,
    );
    assert.equal(calls, 0);
  });
});
