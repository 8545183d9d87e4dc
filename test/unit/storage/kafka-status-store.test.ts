import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KafkaStatusStore } from '../../../runtime/storage/kafka-status-store.js';
import { MemoryTopic } from './memory-log.js';

describe('KafkaStatusStore', () => {
  test("writes Connect's status keys and values", async () => {
    const topic = new MemoryTopic();
    const store = new KafkaStatusStore(topic.log());
    await store.start();
    await store.putConnector('c', { state: 'RUNNING', worker_id: 'w1:8083', version: '0.1.0' }, 4);
    await store.putTask('c', { id: 1, state: 'FAILED', worker_id: 'w1:8083', trace: 'boom' }, 4);
    const records = topic.compacted();
    assert.equal(
      records.get('status-connector-c'),
      '{"state":"RUNNING","trace":null,"worker_id":"w1:8083","version":"0.1.0","generation":4}',
    );
    assert.equal(
      records.get('status-task-c-1'),
      '{"state":"FAILED","trace":"boom","worker_id":"w1:8083","version":null,"generation":4}',
    );
    // Another worker reads the version back (Connect 4.1's status value), and a 3.x value without one.
    const reader = new KafkaStatusStore(topic.log());
    await reader.start();
    assert.deepEqual(reader.connector('c'), { state: 'RUNNING', worker_id: 'w1:8083', version: '0.1.0' });
    assert.deepEqual(reader.task('c', 1), { id: 1, state: 'FAILED', worker_id: 'w1:8083', trace: 'boom' });
  });

  test('a worker that lost a task cannot replace the new owner status with UNASSIGNED', async () => {
    const topic = new MemoryTopic();
    const oldOwner = new KafkaStatusStore(topic.log());
    const newOwner = new KafkaStatusStore(topic.log());
    const observer = new KafkaStatusStore(topic.log());
    await oldOwner.start();
    await newOwner.start();
    await observer.start();
    await oldOwner.putTask('c', { id: 0, state: 'RUNNING', worker_id: 'A' }, 5);
    await newOwner.putTask('c', { id: 0, state: 'RUNNING', worker_id: 'B' }, 6);
    // The old owner has not read B's record yet: its write reaches the topic, but nobody applies it.
    await oldOwner.putTask('c', { id: 0, state: 'UNASSIGNED', worker_id: 'A' }, 5);
    for (const store of [observer, newOwner]) {
      await store.readToEnd();
      assert.deepEqual(store.task('c', 0), { id: 0, state: 'RUNNING', worker_id: 'B' });
    }
    // A fresh reader of the topic comes to the same answer.
    const fresh = new KafkaStatusStore(topic.log());
    await fresh.start();
    assert.deepEqual(fresh.task('c', 0), { id: 0, state: 'RUNNING', worker_id: 'B' });
  });

  test('the owner itself may move its task to UNASSIGNED or FAILED; a newer generation always may', async () => {
    const topic = new MemoryTopic();
    const store = new KafkaStatusStore(topic.log());
    await store.start();
    await store.putTask('c', { id: 0, state: 'RUNNING', worker_id: 'A' }, 7);
    await store.putTask('c', { id: 0, state: 'FAILED', worker_id: 'A', trace: 'x' }, 7);
    assert.equal(store.task('c', 0)?.state, 'FAILED');
    await store.putTask('c', { id: 0, state: 'UNASSIGNED', worker_id: 'B' }, 8);
    assert.equal(store.task('c', 0)?.worker_id, 'B');
    // RUNNING is always accepted: the worker reporting it is running the task now (even after a generation reset).
    await store.putTask('c', { id: 0, state: 'RUNNING', worker_id: 'C' }, 1);
    assert.equal(store.task('c', 0)?.worker_id, 'C');
  });

  test('remove and trimTasks write tombstones every worker applies', async () => {
    const topic = new MemoryTopic();
    const a = new KafkaStatusStore(topic.log());
    const b = new KafkaStatusStore(topic.log());
    await a.start();
    await b.start();
    await a.putConnector('c', { state: 'RUNNING', worker_id: 'A' }, 1);
    for (const id of [0, 1, 2]) await a.putTask('c', { id, state: 'RUNNING', worker_id: 'A' }, 1);
    await a.trimTasks('c', 1);
    await b.readToEnd();
    assert.deepEqual(
      b.tasks('c').map((t) => t.id),
      [0],
    );
    await a.remove('c', 1);
    assert.deepEqual([...topic.compacted().keys()], []);
    await b.readToEnd();
    assert.equal(b.connector('c'), undefined);
    assert.deepEqual(b.tasks('c'), []);
  });

  test("topic records in Connect's format: written once per topic, read by every worker, reset with tombstones", async () => {
    const topic = new MemoryTopic();
    const a = new KafkaStatusStore(topic.log());
    const b = new KafkaStatusStore(topic.log());
    await a.start();
    await b.start();
    await a.putTopic({ topic: 'orders', connector: 'c', task: 1, discoverTimestamp: 1700000000000 });
    await b.readToEnd();
    // Already recorded (by another worker): not written again.
    await b.putTopic({ topic: 'orders', connector: 'c', task: 0, discoverTimestamp: 1800000000000 });
    await b.putTopic({ topic: 'audit', connector: 'c', task: 0, discoverTimestamp: 1800000000000 });
    assert.equal(topic.records.length, 2);
    assert.equal(
      topic.compacted().get('status-topic-orders:connector-c'),
      '{"topic":{"name":"orders","connector":"c","task":1,"discoverTimestamp":1700000000000}}',
    );
    await a.readToEnd();
    assert.deepEqual(
      a.topics('c').map((t) => t.topic),
      ['audit', 'orders'],
    );
    // Deleting the connector's statuses leaves its topics, as in Connect; a reset removes them.
    await a.remove('c', 0);
    assert.equal(a.topics('c').length, 2);
    await a.resetTopics('c');
    await b.readToEnd();
    assert.deepEqual(b.topics('c'), []);
    assert.deepEqual([...topic.compacted().keys()], []);
  });
});
