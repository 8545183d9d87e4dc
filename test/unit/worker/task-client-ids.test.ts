import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KafkaAdmin, KafkaClient, KafkaProducer } from '../../../runtime/kafka/types.js';
import { createTaskErrorHandling } from '../../../runtime/worker/task-error-handling.js';
import { DLQ_ADMIN_CLIENT_ID, taskClientId } from '../../../runtime/worker/task-client-ids.js';
import { silentLogger } from '../connectors/fake-contexts.js';

describe("a task's Kafka client ids, as Connect's Worker names them", () => {
  test('producer, consumer and admin of a task', () => {
    const id = { connector: 'orders-sink', task: 3 };
    assert.equal(taskClientId('producer', id), 'connector-producer-orders-sink-3');
    assert.equal(taskClientId('consumer', id), 'connector-consumer-orders-sink-3');
    assert.equal(taskClientId('adminclient', id), 'connector-adminclient-orders-sink-3');
    assert.equal(taskClientId('dlq-producer', id), 'connector-dlq-producer-orders-sink-3');
  });

  test("a sink's dead letter queue clients: connector-dlq-producer-<c>-<t> and connector-dlq-adminclient-", async () => {
    const asked: { kind: string; clientId: string | undefined }[] = [];
    const admin: KafkaAdmin = {
      clusterId: async () => 'c',
      listTopics: async () => ['dlq'],
      createTopics: async () => undefined,
      partitionCount: async () => 1,
      committedOffsets: async () => [],
      setCommittedOffsets: async () => undefined,
      deleteGroup: async () => undefined,
      offsetsForTimestamp: async () => [],
      close: async () => undefined,
    };
    const producer: KafkaProducer = { send: async () => [], close: async () => undefined };
    const kafka: KafkaClient = {
      producer: async (options) => {
        asked.push({ kind: 'producer', clientId: options?.clientId });
        return producer;
      },
      admin: async (options) => {
        asked.push({ kind: 'admin', clientId: options?.clientId });
        return admin;
      },
      groupConsumer: async () => {
        throw new Error('not used');
      },
      transactionalProducer: async () => {
        throw new Error('not used');
      },
      fenceProducers: async () => {
        throw new Error('not used');
      },
    };
    await createTaskErrorHandling({
      connectorConfig: {
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'dlq',
        'errors.deadletterqueue.topic.replication.factor': '1',
      },
      id: { connector: 'pg', task: 0 },
      kind: 'sink',
      taskClass: 'x.SinkTask',
      logger: silentLogger,
      kafka,
    });
    assert.deepEqual(asked, [
      { kind: 'producer', clientId: 'connector-dlq-producer-pg-0' },
      { kind: 'admin', clientId: DLQ_ADMIN_CLIENT_ID },
    ]);
    assert.equal(DLQ_ADMIN_CLIENT_ID, 'connector-dlq-adminclient-');
  });
});
