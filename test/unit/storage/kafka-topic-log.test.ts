// KafkaTopicLog creating its internal topic: a create that fails although the broker made the topic
// (kafkajs gives up waiting for the new topic's leader) must not stop the worker; a real failure must.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClusterKafkaClient, TopicTailReader } from '../../../runtime/kafka/cluster-types.js';
import type { KafkaAdmin, KafkaProducer } from '../../../runtime/kafka/types.js';
import { KafkaTopicLog } from '../../../runtime/storage/kafka-topic-log.js';

function fakeCluster(admin: Partial<KafkaAdmin>): ClusterKafkaClient {
  const reader: TopicTailReader = { start: async () => {}, readToEnd: async () => {}, stop: async () => {} };
  const producer = { send: async () => [], close: async () => {} } as unknown as KafkaProducer;
  return {
    admin: async () => ({ close: async () => {}, ...admin }) as KafkaAdmin,
    producer: async () => producer,
    groupConsumer: async () => {
      throw new Error('not used');
    },
    topicReader: () => reader,
    groupMembership: async () => {
      throw new Error('not used');
    },
  };
}

const spec = { topic: 'connect-configs', partitions: 1, replicationFactor: 1 };

test('a create that failed while the topic appears a moment later counts as created', async () => {
  let listings = 0;
  const log = new KafkaTopicLog(
    fakeCluster({
      // Not there at first; listed from the third look on, as when metadata lags behind the create.
      listTopics: async () => (++listings >= 3 ? ['connect-configs'] : []),
      createTopics: async () => {
        throw new Error('This server does not host this topic-partition');
      },
    }),
    spec,
  );
  await log.start(() => {});
  assert.ok(listings >= 3);
  await log.stop();
});

test('a create that failed and no topic: start fails naming the topic, partitions and replication factor', async () => {
  const log = new KafkaTopicLog(
    fakeCluster({
      listTopics: async () => [],
      createTopics: async () => {
        throw Object.assign(new Error('Topic creation errors'), {
          errors: [{ message: 'Replication factor: 3 larger than available brokers: 1.' }],
        });
      },
    }),
    { ...spec, replicationFactor: 3 },
    500,
  );
  await assert.rejects(
    log.start(() => {}),
    (error: Error) => {
      assert.match(error.message, /connect-configs \(1 partition\(s\), replication factor 3\)/);
      assert.match(error.message, /larger than available brokers/);
      return true;
    },
  );
});
