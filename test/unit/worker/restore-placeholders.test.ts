import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restorePlaceholders } from '../../../runtime/worker/restore-placeholders.js';

test('keys whose stored value holds a placeholder get the placeholder back in every task config', () => {
  const raw = { file: '${file:/etc/s.properties:path}', topics: 'orders', password: 'x-${env:PW}-y' };
  const tasks: Record<string, string>[] = [
    { file: '/data/out.txt', topics: 'orders', password: 'x-secret-y', 'task.index': '0' },
    { file: '/data/out.txt', topics: 'orders', 'task.index': '1' },
  ];
  assert.deepEqual(restorePlaceholders(raw, tasks), [
    {
      file: '${file:/etc/s.properties:path}',
      topics: 'orders',
      password: 'x-${env:PW}-y',
      'task.index': '0',
    },
    { file: '${file:/etc/s.properties:path}', topics: 'orders', 'task.index': '1' },
  ]);
});

test('task configs without placeholder keys are returned unchanged (and not mutated)', () => {
  const tasks = [{ topics: 'orders' }];
  const restored = restorePlaceholders({ topics: 'orders' }, tasks);
  assert.deepEqual(restored, [{ topics: 'orders' }]);
  assert.notEqual(restored[0], tasks[0]);
});
