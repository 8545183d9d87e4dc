import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConfigChange } from '../../../runtime/storage/cluster-config-store.js';
import { parseConfigKey, parseStatusKey } from '../../../runtime/storage/connect-record-keys.js';
import { KafkaConfigStore } from '../../../runtime/storage/kafka-config-store.js';
import { MemoryTopic, silentLogger } from './memory-log.js';

async function twoWorkers(topic = new MemoryTopic()) {
  const a = new KafkaConfigStore(topic.log(), silentLogger);
  const b = new KafkaConfigStore(topic.log(), silentLogger);
  await a.start();
  await b.start();
  return { topic, a, b };
}

const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

describe('KafkaConfigStore', () => {
  test('writes Connect record keys and values, and other workers read them', async () => {
    const { topic, a, b } = await twoWorkers();
    await a.putConnector(
      'orders-sink',
      { 'connector.class': 'FileStreamSink', name: 'orders-sink' },
      'PAUSED',
    );
    await a.putTaskConfigs('orders-sink', [{ file: '/tmp/a' }, { file: '/tmp/b' }]);
    const records = topic.compacted();
    assert.equal(
      records.get('connector-orders-sink'),
      '{"properties":{"connector.class":"FileStreamSink","name":"orders-sink"}}',
    );
    assert.equal(records.get('target-state-orders-sink'), '{"state":"PAUSED","state.v2":"PAUSED"}');
    assert.equal(records.get('task-orders-sink-0'), '{"properties":{"file":"/tmp/a"}}');
    assert.equal(records.get('task-orders-sink-1'), '{"properties":{"file":"/tmp/b"}}');
    assert.equal(records.get('commit-orders-sink'), '{"tasks":2}');
    // The initial target state precedes the config, so no worker ever sees the connector without it.
    assert.deepEqual(
      topic.records.slice(0, 2).map((r) => r.key),
      ['target-state-orders-sink', 'connector-orders-sink'],
    );

    await b.readToEnd();
    const seen = b.connector('orders-sink');
    assert.equal(seen?.targetState, 'PAUSED');
    assert.deepEqual(seen?.taskConfigs, [{ file: '/tmp/a' }, { file: '/tmp/b' }]);
    assert.equal(b.position, topic.records.length - 1);
  });

  test('task configs apply only when their commit record arrives, and all at once', async () => {
    const { topic, a, b } = await twoWorkers();
    await a.putConnector('c', { 'connector.class': 'X' });
    await a.putTaskConfigs('c', [{ n: 'old' }]);
    topic.append([
      { key: 'task-c-0', value: json({ properties: { n: 'new0' } }) },
      { key: 'task-c-1', value: json({ properties: { n: 'new1' } }) },
    ]);
    await b.readToEnd();
    assert.deepEqual(
      b.connector('c')?.taskConfigs,
      [{ n: 'old' }],
      'uncommitted task configs must not be visible',
    );
    topic.append([{ key: 'commit-c', value: json({ tasks: 2 }) }]);
    await b.readToEnd();
    assert.deepEqual(b.connector('c')?.taskConfigs, [{ n: 'new0' }, { n: 'new1' }]);
  });

  test('a commit that counts a task never written keeps the previous task configs', async () => {
    const { topic, a, b } = await twoWorkers();
    await a.putConnector('c', { 'connector.class': 'X' });
    await a.putTaskConfigs('c', [{ n: '0' }]);
    topic.append([
      { key: 'task-c-0', value: json({ properties: { n: 'x' } }) },
      { key: 'commit-c', value: json({ tasks: 3 }) },
    ]);
    await b.readToEnd();
    assert.deepEqual(b.connector('c')?.taskConfigs, [{ n: '0' }]);
  });

  test('a task snapshot remembers the connector config its tasks were generated from', async () => {
    const { a } = await twoWorkers();
    await a.putConnector('c', { v: '1' });
    await a.putTaskConfigs('c', [{ t: '0' }]);
    await a.putConnector('c', { v: '2' });
    assert.deepEqual(a.taskSnapshot('c')?.connectorConfig, { v: '1' });
    await a.putTaskConfigs('c', [{ t: '0' }]);
    assert.deepEqual(a.taskSnapshot('c')?.connectorConfig, { v: '2' });
  });

  test('STOPPED is written for old and new readers, and Connect 2.x records without state.v2 are read', async () => {
    const { topic, a, b } = await twoWorkers();
    await a.putConnector('c', { 'connector.class': 'X' });
    await a.putTargetState('c', 'STOPPED');
    assert.equal(topic.compacted().get('target-state-c'), '{"state":"PAUSED","state.v2":"STOPPED"}');
    await b.readToEnd();
    assert.equal(b.connector('c')?.targetState, 'STOPPED');
    topic.append([{ key: 'target-state-c', value: json({ state: 'PAUSED' }) }]);
    await b.readToEnd();
    assert.equal(b.connector('c')?.targetState, 'PAUSED');
  });

  test('delete writes tombstones for the config and the target state; every worker forgets the connector', async () => {
    const { topic, a, b } = await twoWorkers();
    const changes: ConfigChange[] = [];
    b.onChange((c) => changes.push(c));
    await a.putConnector('gone', { 'connector.class': 'X' }, 'STARTED');
    await a.removeConnector('gone');
    const tail = topic.records.slice(-2);
    assert.deepEqual(
      tail.map((r) => [r.key, r.value]),
      [
        ['connector-gone', null],
        ['target-state-gone', null],
      ],
    );
    await b.readToEnd();
    assert.equal(b.connector('gone'), undefined);
    assert.deepEqual(b.connectors(), []);
    assert.deepEqual(
      changes.map((c) => c.kind),
      ['target-state', 'connector-config', 'connector-removed'],
    );
  });

  test('restart requests reach listeners once live, but are not replayed by a worker that starts later', async () => {
    const topic = new MemoryTopic();
    const a = new KafkaConfigStore(topic.log(), silentLogger);
    await a.start();
    const live: ConfigChange[] = [];
    a.onChange((c) => live.push(c));
    await a.putConnector('c', { 'connector.class': 'X' });
    await a.putRestartRequest({ connector: 'c', task: null, includeTasks: true, onlyFailed: false });
    await a.putRestartRequest({ connector: 'c', task: 2, includeTasks: false, onlyFailed: false });
    assert.equal(topic.compacted().get('restart-connector-c'), '{"include-tasks":true,"only-failed":false}');
    assert.ok(topic.compacted().has('restart-task-c-2'));
    assert.deepEqual(
      live.filter((c) => c.kind === 'restart').map((c) => (c.kind === 'restart' ? c.request : null)),
      [
        { connector: 'c', task: null, includeTasks: true, onlyFailed: false },
        { connector: 'c', task: 2, includeTasks: false, onlyFailed: false },
      ],
    );
    const late = new KafkaConfigStore(topic.log(), silentLogger);
    const replayed: ConfigChange[] = [];
    late.onChange((c) => replayed.push(c));
    await late.start();
    assert.equal(replayed.filter((c) => c.kind === 'restart').length, 0);
    assert.ok(late.connector('c'));
  });

  test('record keys: connector names with dashes keep their task numbers apart', () => {
    assert.deepEqual(parseConfigKey('task-my-conn-12'), { kind: 'task', connector: 'my-conn', task: 12 });
    assert.deepEqual(parseConfigKey('commit-my-conn'), { kind: 'commit', connector: 'my-conn' });
    assert.deepEqual(parseConfigKey('connector-restart-x'), { kind: 'connector', connector: 'restart-x' });
    assert.deepEqual(parseConfigKey('restart-connector-x'), { kind: 'restart-connector', connector: 'x' });
    assert.deepEqual(parseConfigKey('target-state-a-b'), { kind: 'target-state', connector: 'a-b' });
    assert.deepEqual(parseConfigKey('session-key'), { kind: 'session-key' });
    assert.deepEqual(parseStatusKey('status-task-a-b-3'), { kind: 'task', connector: 'a-b', task: 3 });
    assert.deepEqual(parseStatusKey('status-connector-a-b'), { kind: 'connector', connector: 'a-b' });
    assert.deepEqual(parseStatusKey('status-topic-a.b-c:connector-x:y'), {
      kind: 'topic',
      topic: 'a.b-c',
      connector: 'x:y',
    });
    assert.deepEqual(parseStatusKey('status-topic-nocolon'), { kind: 'unknown' });
  });
});
