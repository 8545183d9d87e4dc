import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SessionKeyRotation } from '../../../runtime/cluster/session-key-rotation.js';
import { KafkaConfigStore } from '../../../runtime/storage/kafka-config-store.js';
import { MemoryTopic, silentLogger } from '../storage/memory-log.js';

const HOUR = 3_600_000;

async function leaderStore(topic = new MemoryTopic()) {
  const store = new KafkaConfigStore(topic.log(), silentLogger);
  await store.start();
  return { topic, store };
}

describe('SessionKeyRotation', () => {
  test("the leader writes Connect's session-key record when the config topic has none", async () => {
    const { topic, store } = await leaderStore();
    const rotation = new SessionKeyRotation({ store, ttlMs: HOUR, logger: silentLogger, now: () => 1_000 });
    await rotation.onRebalance(true);
    rotation.stop();
    const value = JSON.parse(topic.compacted().get('session-key') ?? 'null') as Record<string, unknown>;
    assert.deepEqual(Object.keys(value), ['key', 'algorithm', 'creation-timestamp']);
    assert.equal(value['algorithm'], 'HmacSHA256');
    assert.equal(value['creation-timestamp'], 1_000);
    assert.equal(Buffer.from(value['key'] as string, 'base64').length, 32);
    assert.deepEqual(store.sessionKey(), {
      key: value['key'],
      algorithm: 'HmacSHA256',
      creationTimestamp: 1_000,
    });
  });

  test('a follower writes nothing; a leader keeps an unexpired key and replaces an expired one', async () => {
    const { topic, store } = await leaderStore();
    let now = 0;
    const rotation = new SessionKeyRotation({ store, ttlMs: HOUR, logger: silentLogger, now: () => now });
    await rotation.onRebalance(false);
    assert.equal(topic.records.length, 0);

    await rotation.onRebalance(true);
    const first = store.sessionKey();
    now = HOUR - 1;
    await rotation.onRebalance(true);
    assert.equal(store.sessionKey(), first, 'a new leader keeps the key until it expires');
    assert.equal(topic.records.length, 1);

    now = HOUR;
    await rotation.check();
    rotation.stop();
    assert.equal(topic.records.length, 2);
    assert.notEqual(store.sessionKey()?.key, first?.key);
    assert.equal(store.sessionKey()?.creationTimestamp, HOUR);
  });

  test('a key of another algorithm or size is replaced, as Connect does', async () => {
    const { topic, store } = await leaderStore();
    topic.append([
      {
        key: 'session-key',
        value: Buffer.from(
          JSON.stringify({
            key: Buffer.alloc(16).toString('base64'),
            algorithm: 'HmacSHA1',
            'creation-timestamp': 5,
          }),
        ),
      },
    ]);
    const rotation = new SessionKeyRotation({ store, ttlMs: HOUR, logger: silentLogger, now: () => 10 });
    await rotation.onRebalance(true);
    rotation.stop();
    assert.equal(store.sessionKey()?.algorithm, 'HmacSHA256');
    assert.equal(store.sessionKey()?.creationTimestamp, 10);
  });

  test('the leader rotates on its own once the key expires', async () => {
    const { topic, store } = await leaderStore();
    const rotation = new SessionKeyRotation({ store, ttlMs: 30, logger: silentLogger });
    await rotation.onRebalance(true);
    await new Promise((r) => setTimeout(r, 200));
    rotation.stop();
    assert.ok(topic.records.length >= 2, `expected a rotation, saw ${topic.records.length} key(s)`);
  });
});
