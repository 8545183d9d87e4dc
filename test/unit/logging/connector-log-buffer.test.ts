import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorLogBuffer, connectorOfLogger } from '../../../runtime/logging/connector-log-buffer.js';

test('connector and task loggers belong to their connector; others to none', () => {
  assert.equal(connectorOfLogger('connector.orders-sink'), 'orders-sink');
  assert.equal(connectorOfLogger('task.orders-sink-12'), 'orders-sink');
  assert.equal(connectorOfLogger('sluice.herder'), null);
});

test('keeps the newest lines per connector; since and limit select them', async () => {
  const buffer = new ConnectorLogBuffer(3, () => 42);
  for (let i = 1; i <= 5; i++) buffer.add('task.a-0', 'INFO', `a${i}`, undefined);
  buffer.add('connector.b', 'WARN', 'b1', { error: new Error('boom') });
  buffer.add('sluice.worker', 'INFO', 'not kept', undefined);
  const a = await buffer.lines('a', 0, 100, 0);
  assert.deepEqual(
    a.map((l) => l.message),
    ['a3', 'a4', 'a5'],
  );
  assert.deepEqual(
    (await buffer.lines('a', a[1]!.seq, 100, 0)).map((l) => l.message),
    ['a5'],
  );
  assert.deepEqual(
    (await buffer.lines('a', 0, 1, 0)).map((l) => l.message),
    ['a5'],
  );
  assert.deepEqual(await buffer.lines('b', 0, 100, 0), [
    {
      seq: 6,
      time: 42,
      level: 'WARN',
      logger: 'connector.b',
      message: 'b1',
      fields: { error: { message: 'boom' } },
    },
  ]);
});

test('a wait ends with the next line of the connector', async () => {
  const buffer = new ConnectorLogBuffer();
  const waiting = buffer.lines('a', 0, 100, 30_000);
  buffer.add('connector.other', 'INFO', 'elsewhere', undefined);
  buffer.add('connector.a', 'INFO', 'here', undefined);
  assert.deepEqual(
    (await waiting).map((l) => l.message),
    ['here'],
  );
});

test('the connectors that logged least recently are dropped first past the limit', async () => {
  const buffer = new ConnectorLogBuffer(10, Date.now, 2);
  buffer.add('connector.a', 'INFO', 'a', undefined);
  buffer.add('connector.b', 'INFO', 'b', undefined);
  buffer.add('connector.a', 'INFO', 'a again', undefined);
  buffer.add('connector.c', 'INFO', 'c', undefined);
  assert.equal((await buffer.lines('b', 0, 10, 0)).length, 0, 'b logged least recently');
  assert.equal((await buffer.lines('a', 0, 10, 0)).length, 2);
  assert.equal((await buffer.lines('c', 0, 10, 0)).length, 1);
});
