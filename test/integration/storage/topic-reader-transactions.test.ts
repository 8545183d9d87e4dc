// The internal-topic reader (offsets, configs, statuses) on a topic written by exactly-once sources: a
// topic whose records so far are all aborted (a task killed mid-transaction, its transaction aborted when
// the task's next instance started) must still be read "to its end" at once. kafkajs hands such a fetch to
// no eachBatch; before the fix a worker waited 60 s at start-up for its offsets, past its REST deadline.
// kafkajs comes through the runtime's kafkajs-library here (not 'kafkajs', nor kafka-test-client.ts, which
// imports it): the runtime's record format must be installed before kafkajs loads in this process.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel } from '../../../runtime/kafka/kafkajs-library.js';
import { KafkajsClient } from '../../../runtime/kafka/kafkajs-client.js';
import { kafkaBrokers } from '../../support/endpoints.js';
import { uniqueName } from '../../support/worker-process.js';
import type { Logger } from '../../../runtime/api/logger.js';
import type { ConsumedMessage } from '../../../runtime/kafka/types.js';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

describe('internal topic reader and transactions', { timeout: 60_000 }, () => {
  const topic = uniqueName('it-reader-txn');
  const kafka = new Kafka({ clientId: 'it-reader-txn', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  const client = new KafkajsClient({ bootstrapServers: KAFKA_BOOTSTRAP, clientId: 'it-reader' }, silent);
  after(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    await client.close();
  });

  test('a topic holding only aborted records is read to its end at once; committed ones after it arrive', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer = kafka.producer({
      transactionalId: uniqueName('it-reader-txn'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const aborted = await producer.transaction();
      await aborted.send({
        topic,
        messages: [
          { key: 'k', value: 'aborted-1' },
          { key: 'k', value: 'aborted-2' },
        ],
      });
      await aborted.abort();

      const reader = client.topicReader(topic);
      const seen: ConsumedMessage[] = [] as ConsumedMessage[];
      const started = Date.now();
      await reader.start((m) => seen.push(m));
      try {
        const ms = Date.now() - started;
        assert.ok(ms < 20_000, `read to its end in ${ms} ms`);
        assert.equal(seen.length, 0, 'aborted records are never delivered');

        const committed = await producer.transaction();
        await committed.send({ topic, messages: [{ key: 'k', value: 'committed' }] });
        await committed.commit();
        await reader.readToEnd();
        assert.deepEqual(
          seen.map((m) => m.value?.toString()),
          ['committed'],
        );
      } finally {
        await reader.stop();
      }
    } finally {
      await producer.disconnect();
    }
  });
});
