// What the CDC task decides when its start cannot reach PostgreSQL (Debezium's BaseSourceTask behaviour):
// a lost or refused connection schedules another start `retriable.restart.connector.wait.ms` later, within
// the errors.max.retries budget; any other error fails at once, also on a later attempt; an exhausted budget
// fails with PG_CDC_CONNECT_FAILED naming the server, the attempts and the last cause.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { SluiceError } from '../../../../runtime/api/index.js';
import { RetryBudget } from '../../../../connectors/postgres/cdc/retry-budget.js';
import { StartRetry, type StartVerdict } from '../../../../connectors/postgres/cdc/start-retry.js';

function settings(maxRetries: number, retryWaitMs = 500) {
  return { host: 'db1', port: 5433, slotName: 'shop_cdc', maxRetries, retryWaitMs };
}

function refused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5433'), { code: 'ECONNREFUSED' });
}

function serverError(code: string, message: string): pg.DatabaseError {
  const error = new pg.DatabaseError(message, message.length, 'error');
  error.code = code;
  return error;
}

function retried(verdict: StartVerdict): { attempt: number; warning: string } {
  assert.equal(verdict.retry, true, `expected a retry, got ${verdict.retry ? '' : String(verdict.error)}`);
  return verdict as { attempt: number; warning: string };
}

function failedWith(verdict: StartVerdict): unknown {
  assert.equal(verdict.retry, false, 'expected the start to fail');
  return (verdict as { error: unknown }).error;
}

test('a refused connection schedules the next start after the wait, and poll sees when it is due', () => {
  let now = 1_000;
  const retry = new StartRetry(new RetryBudget(-1), settings(-1, 500), () => now);
  assert.equal(retry.pending, false);
  const first = retried(retry.failed(refused(), false));
  assert.equal(first.attempt, 1);
  assert.equal(
    first.warning,
    'Could not connect to PostgreSQL at db1:5433 to start the task (slot shop_cdc): connect ECONNREFUSED 10.0.0.5:5433; start attempt 2 (retry 1 of unlimited) in 500 ms',
  );
  assert.equal(retry.pending, true);
  assert.equal(retry.msUntilDue(), 500);
  now += 300;
  assert.equal(retry.msUntilDue(), 200, 'the wait is measured from the failure');
  now += 300;
  assert.equal(retry.msUntilDue(), 0);
  const second = retried(retry.failed(refused(), false));
  assert.equal(second.attempt, 2);
  assert.match(second.warning, /start attempt 3 \(retry 2 of unlimited\)/);
  assert.equal(retry.failures, 2);
  retry.succeeded();
  assert.equal(retry.pending, false);
  assert.equal(retry.msUntilDue(), 0);
});

test('server not ready, too many connections and a socket closed mid-handshake are retried', () => {
  const retry = new StartRetry(new RetryBudget(-1), settings(-1));
  retried(retry.failed(serverError('57P03', 'the database system is starting up'), false));
  retried(retry.failed(serverError('53300', 'sorry, too many clients already'), false));
  retried(retry.failed(new Error('Connection terminated unexpectedly'), true));
  retried(retry.failed(Object.assign(new Error('getaddrinfo EAI_AGAIN db1'), { code: 'EAI_AGAIN' }), false));
});

test('wal_level, permissions, a missing publication and bad credentials fail at once with their own error', () => {
  for (const error of [
    new SluiceError('PG_CDC_WAL_LEVEL', ['replica']),
    new SluiceError('PG_CDC_NO_REPLICATION_PERMISSION', ['cdc', '"cdc"']),
    new SluiceError('PG_CDC_PUBLICATION_MISSING', ['pub', '"pub"']),
    serverError('28P01', 'password authentication failed for user "cdc"'),
  ]) {
    const budget = new RetryBudget(5);
    const retry = new StartRetry(budget, settings(5));
    assert.equal(failedWith(retry.failed(error, true)), error);
    assert.equal(retry.pending, false);
    assert.equal(budget.attempts, 0, 'a verdict takes nothing from the budget');
  }
});

test('a verdict found on a later attempt fails too, after connection retries', () => {
  const retry = new StartRetry(new RetryBudget(-1), settings(-1));
  retried(retry.failed(refused(), false));
  retried(retry.failed(refused(), false));
  const missing = new SluiceError('PG_CDC_PUBLICATION_MISSING', ['pub', '"pub"']);
  assert.equal(failedWith(retry.failed(missing, false)), missing);
  assert.equal(retry.pending, false);
});

test('errors.max.retries=1: one retry, then PG_CDC_CONNECT_FAILED with host, port, attempts and cause', () => {
  const retry = new StartRetry(new RetryBudget(1), settings(1, 500));
  assert.match(retried(retry.failed(refused(), false)).warning, /start attempt 2 \(retry 1 of 1\) in 500 ms/);
  const cause = refused();
  const error = failedWith(retry.failed(cause, false));
  assert.ok(error instanceof SluiceError);
  assert.equal(error.code, 'PG_CDC_CONNECT_FAILED');
  assert.equal(
    error.message,
    'Could not connect to PostgreSQL at db1:5433 to start the task: 2 attempt(s) failed (errors.max.retries=1, retriable.restart.connector.wait.ms=500); last error: connect ECONNREFUSED 10.0.0.5:5433',
  );
  assert.equal(error.cause, cause);
  assert.equal(retry.pending, false);
});

test('errors.max.retries=0: the first refused connection fails the start', () => {
  const retry = new StartRetry(new RetryBudget(0), settings(0));
  const error = failedWith(retry.failed(refused(), false));
  assert.ok(error instanceof SluiceError);
  assert.match(
    error.message,
    /at db1:5433 to start the task: 1 attempt\(s\) failed \(errors\.max\.retries=0/,
  );
});

test('start retries and streaming reconnects share one budget', () => {
  const budget = new RetryBudget(2);
  const retry = new StartRetry(budget, settings(2));
  retried(retry.failed(refused(), false));
  retry.succeeded();
  assert.equal(budget.take(), 2, 'a reconnect after the start takes the next attempt');
  assert.equal(budget.take(), null);
});
