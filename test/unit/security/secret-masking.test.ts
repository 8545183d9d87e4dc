import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HIDDEN, isSecretKey, maskAnswer, unmaskConfig } from '../../../runtime/security/secret-masking.js';

describe('secret masking', () => {
  test('which keys are secrets', () => {
    for (const key of [
      'connection.password',
      'aws.secret.access.key',
      'ssl.keystore.key',
      'sasl.jaas.config',
      'producer.override.sasl.jaas.config',
      'api.token',
    ])
      assert.equal(isSecretKey(key), true, key);
    for (const key of [
      'key.converter',
      'topics',
      'primary.key.fields',
      'connection.user',
      'aws.access.key.id',
    ])
      assert.equal(isSecretKey(key), false, key);
  });

  test('infos, task lists and validate answers hide secrets but not references to them', () => {
    const answer = maskAnswer({
      name: 'a.x',
      config: { 'connection.password': 'hunter2', 'db.password': '${file:/s:pw}', topics: 'a.t' },
      tasks: [{ id: 0, config: { 'connection.password': 'hunter2' } }],
      configs: [
        {
          definition: { name: 'connection.password', type: 'PASSWORD' },
          value: { name: 'connection.password', value: 'hunter2' },
        },
        { definition: { name: 'hidden.by.type', type: 'PASSWORD' }, value: { value: 'hunter2' } },
        { definition: { name: 'topics', type: 'LIST' }, value: { value: 'a.t' } },
      ],
    });
    assert.ok(!JSON.stringify(answer).includes('hunter2'), JSON.stringify(answer));
    assert.ok(JSON.stringify(answer).includes('${file:/s:pw}'));
    assert.ok(JSON.stringify(answer).includes('a.t'));
  });

  test('a config sent back with [hidden] keeps the stored secret', () => {
    assert.deepEqual(
      unmaskConfig(
        { 'connection.password': HIDDEN, topics: 'a.u', other: HIDDEN },
        { 'connection.password': 'hunter2', topics: 'a.t' },
      ),
      { 'connection.password': 'hunter2', topics: 'a.u', other: HIDDEN },
    );
  });
});
