import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { KafkaOffsetStore, offsetKey, parseOffsetKey } from '../../../runtime/storage/kafka-offset-store.js';
import { javaHashMapOrder } from '../../../runtime/api/java-hash-map-order.js';
import { MemoryTopic } from './memory-log.js';

describe('KafkaOffsetStore', () => {
  test("uses Connect's offsets-topic key and value bytes", async () => {
    const topic = new MemoryTopic();
    const store = new KafkaOffsetStore(topic.log());
    await store.start();
    await store.write('file-source', [{ partition: { filename: '/data/in.txt' }, offset: { position: 42 } }]);
    assert.deepEqual(
      [...topic.compacted()],
      [['["file-source",{"filename":"/data/in.txt"}]', '{"position":42}']],
    );
    assert.equal(offsetKey('a', { x: 1 }), '["a",{"x":1}]');
    assert.deepEqual(parseOffsetKey('["a",{"x":1}]'), { connector: 'a', partition: { x: 1 } });
    assert.equal(parseOffsetKey('{"not":"connect"}'), undefined);
  });

  test('a worker that takes over a task reads the offsets the previous owner committed', async () => {
    const topic = new MemoryTopic();
    const previousOwner = new KafkaOffsetStore(topic.log());
    const newOwner = new KafkaOffsetStore(topic.log());
    await previousOwner.start();
    await newOwner.start();
    const partition = { task: 3 };
    await previousOwner.write('gen', [{ partition, offset: { seq: 10 } }]);
    await previousOwner.write('gen', [{ partition, offset: { seq: 11 } }]);
    // Same partition, keys in another order: still the same partition.
    const found = await newOwner.offsets('gen', [{ task: 3 }]);
    assert.deepEqual([...found.values()], [{ seq: 11 }]);
    assert.deepEqual(await newOwner.allOffsets('gen'), [{ partition: { task: 3 }, offset: { seq: 11 } }]);
    assert.deepEqual(await newOwner.allOffsets('other'), []);
  });

  test('partition keys in another key order name the same partition', async () => {
    const topic = new MemoryTopic();
    const store = new KafkaOffsetStore(topic.log());
    await store.start();
    await store.write('c', [{ partition: { b: 1, a: 2 }, offset: { o: 1 } }]);
    const found = await store.offsets('c', [{ a: 2, b: 1 }]);
    assert.deepEqual([...found.values()], [{ o: 1 }]);
  });

  test('writes partition keys in Java HashMap order, so MirrorMaker 2 and Java Connect find them by their bytes', () => {
    // What MM2 4.3.1 writes for a MirrorSourceTask and a MirrorCheckpointTask partition (java.util.HashMap
    // iteration order, checked with jshell): {cluster, partition, topic} and {partition, topic, group}.
    assert.equal(
      offsetKey('MirrorSourceConnector', { cluster: 'A', topic: 'orders', partition: 3 }),
      '["MirrorSourceConnector",{"cluster":"A","partition":3,"topic":"orders"}]',
    );
    assert.equal(
      offsetKey('MirrorCheckpointConnector', { group: 'g1', topic: 'A.orders', partition: 0 }),
      '["MirrorCheckpointConnector",{"partition":0,"topic":"A.orders","group":"g1"}]',
    );
    // Orders printed by jshell (JDK 17) for maps filled in this order; 13 keys resize the table to 32.
    assert.deepEqual(javaHashMapOrder(['server', 'lsn', 'txId', 'ts_usec']), [
      'server',
      'lsn',
      'txId',
      'ts_usec',
    ]);
    const greek = [
      'alpha',
      'beta',
      'gamma',
      'delta',
      'epsilon',
      'zeta',
      'eta',
      'theta',
      'iota',
      'kappa',
      'lambda',
      'mu',
      'nu',
    ];
    assert.deepEqual(javaHashMapOrder(greek), [
      'zeta',
      'iota',
      'nu',
      'delta',
      'mu',
      'theta',
      'epsilon',
      'lambda',
      'eta',
      'alpha',
      'kappa',
      'beta',
      'gamma',
    ]);
  });

  test('offsets an older Sluice wrote with keys in insertion order still load, and the next write supersedes them', async () => {
    const topic = new MemoryTopic();
    const old = '["MirrorSourceConnector",{"cluster":"A","topic":"orders","partition":3}]';
    topic.append([{ key: old, value: Buffer.from('{"offset":41}') }]);
    const store = new KafkaOffsetStore(topic.log());
    await store.start();
    const partition = { cluster: 'A', topic: 'orders', partition: 3 };
    assert.deepEqual(
      [...(await store.offsets('MirrorSourceConnector', [partition])).values()],
      [{ offset: 41 }],
    );
    await store.write('MirrorSourceConnector', [{ partition, offset: { offset: 42 } }]);
    const restarted = new KafkaOffsetStore(topic.log());
    await restarted.start();
    assert.deepEqual(await restarted.allOffsets('MirrorSourceConnector'), [
      { partition, offset: { offset: 42 } },
    ]);
  });

  test('a null offset writes a tombstone that removes the partition for every reader', async () => {
    const topic = new MemoryTopic();
    const a = new KafkaOffsetStore(topic.log());
    const b = new KafkaOffsetStore(topic.log());
    await a.start();
    await b.start();
    await a.write('c', [{ partition: { p: 1 }, offset: { o: 1 } }]);
    assert.equal((await b.allOffsets('c')).length, 1);
    await a.write('c', [{ partition: { p: 1 }, offset: null }]);
    assert.equal(topic.records.at(-1)?.value, null);
    assert.deepEqual(await b.allOffsets('c'), []);
    const restarted = new KafkaOffsetStore(topic.log());
    await restarted.start();
    assert.deepEqual(await restarted.allOffsets('c'), []);
  });
});
