// A worker's start-up steps share one deadline: retriable errors are retried with backoff until it
// passes, then the step fails with WORKER_STARTUP_TIMEOUT naming itself and its last error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { StartupDeadline } from '../../../runtime/errors/startup-deadline.js';
import { FakeClock } from './fakes.js';

const notYet = (): SluiceError =>
  new SluiceError('KAFKA_RETRIABLE', [
    'listing the end offsets of topic t',
    'LEADER_NOT_AVAILABLE: no leader',
  ]);

test('steps share one deadline: a later step gets only what the earlier ones left', async () => {
  const clock = new FakeClock();
  const startup = new StartupDeadline(30_000, clock);
  const startedAt = clock.now();
  let first = 0;
  await startup.retry('creating topic t', async () => {
    if (clock.now() - startedAt < 20_000) {
      first++;
      throw notYet();
    }
  });
  assert.ok(first > 1);
  const retries: number[] = [];
  await assert.rejects(
    startup.retry(
      'reading topic t to its end',
      async () => {
        throw notYet();
      },
      (_error, delayMs) => retries.push(delayMs),
    ),
    (error: unknown) => {
      assert.ok(error instanceof SluiceError);
      assert.equal(error.code, 'WORKER_STARTUP_TIMEOUT');
      assert.equal(error.retryable, false);
      assert.match(error.message, /within 30000 ms: reading topic t to its end kept failing/);
      assert.match(error.message, /KAFKA_RETRIABLE: .*LEADER_NOT_AVAILABLE/);
      return true;
    },
  );
  assert.ok(retries.length > 0, 'the failing step was retried, and the retries reported');
  assert.ok(
    clock.now() - startedAt <= 30_000,
    `gave up at ${clock.now() - startedAt} ms, after the deadline`,
  );
});

test('backoff grows exponentially, capped at 5 s', async () => {
  const clock = new FakeClock();
  const startup = new StartupDeadline(60_000, clock, () => 0.999999);
  await assert.rejects(
    startup.retry('joining', async () => {
      throw notYet();
    }),
  );
  assert.deepEqual(clock.sleeps.slice(0, 7), [199, 399, 799, 1599, 3199, 4999, 4999]);
});

test('a fatal error fails the step at once, unchanged', async () => {
  const clock = new FakeClock();
  const fatal = new SluiceError('KAFKA_FATAL', ['INVALID_REPLICATION_FACTOR']);
  let attempts = 0;
  await assert.rejects(
    new StartupDeadline(30_000, clock).retry('creating topic t', async () => {
      attempts++;
      throw fatal;
    }),
    (error) => error === fatal,
  );
  assert.equal(attempts, 1);
  assert.deepEqual(clock.sleeps, []);
});
