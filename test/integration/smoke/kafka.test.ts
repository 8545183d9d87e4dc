// Both Kafka clusters take a produce/consume round trip through a consumer group and keep the
// committed offsets: the operations the runtime's Kafka seam (kafkajs) relies on.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel, type Admin } from 'kafkajs';
import { KAFKA_BOOTSTRAP, KAFKA_B_BOOTSTRAP, kafkaBrokers } from '../../support/endpoints.js';

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function roundTrip(bootstrap: string, label: string): Promise<void> {
  const kafka = new Kafka({
    clientId: `smoke-${label}`,
    brokers: kafkaBrokers(bootstrap),
    logLevel: logLevel.ERROR,
  });
  const topic = `smoke-${label}-${randomUUID()}`;
  const groupId = `smoke-group-${randomUUID()}`;
  const admin: Admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  try {
    await admin.connect();
    assert.equal(
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true }),
      true,
    );

    await producer.connect();
    const sent = ['one', 'two', 'three'];
    await producer.send({
      topic,
      messages: sent.map((value, i) => ({ key: `k${i}`, value, headers: { run: label } })),
    });

    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const received: string[] = [];
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ message }) => {
              received.push(message.value?.toString() ?? '');
              assert.equal(message.headers?.run?.toString(), label);
              if (received.length === sent.length) resolve();
            },
          })
          .catch(reject);
      }),
      60_000,
      `consuming from ${topic} on ${bootstrap}`,
    );
    assert.deepEqual(received, sent);
    await consumer.disconnect(); // commits what eachMessage processed

    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    assert.deepEqual(committed.partitions, [{ partition: 0, offset: '3', metadata: null }]);
  } finally {
    await consumer.disconnect().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.deleteTopics({ topics: [topic] }).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}

describe('kafka smoke', () => {
  test(`cluster A (${KAFKA_BOOTSTRAP}) round-trips records through a consumer group`, async () => {
    await roundTrip(KAFKA_BOOTSTRAP, 'a');
  });

  test(`cluster B (${KAFKA_B_BOOTSTRAP}) round-trips records through a consumer group`, async () => {
    await roundTrip(KAFKA_B_BOOTSTRAP, 'b');
  });

  test('clusters A and B are distinct clusters', async () => {
    const ids: string[] = [];
    for (const bootstrap of [KAFKA_BOOTSTRAP, KAFKA_B_BOOTSTRAP]) {
      const admin = new Kafka({ brokers: kafkaBrokers(bootstrap), logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      try {
        ids.push((await admin.describeCluster()).clusterId);
      } finally {
        await admin.disconnect();
      }
    }
    assert.notEqual(ids[0], ids[1]);
  });
});
