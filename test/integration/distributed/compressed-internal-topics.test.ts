// Distributed mode on internal topics whose batches the broker stores compressed (compression.type set
// on the topics, as some clusters do for every topic): the worker reads its configs, offsets and
// statuses back at start-up and after a restart.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopic } from '../../support/kafka-test-client.js';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { TestCluster } from './distributed-worker.js';

describe('distributed worker on compressed internal topics', { timeout: 180_000 }, () => {
  let cluster: TestCluster | null = null;
  after(async () => {
    await cluster?.dispose();
  });

  test('with lz4, zstd and snappy internal topics a worker starts, and a restarted one still knows its connector', async () => {
    cluster = await TestCluster.create();
    const [configs, offsets, status] = cluster.topics;
    const compacted = (codec: string) => ({ 'cleanup.policy': 'compact', 'compression.type': codec });
    await createTopic(configs!, 1, KAFKA_BOOTSTRAP, compacted('lz4'));
    await createTopic(offsets!, 5, KAFKA_BOOTSTRAP, compacted('zstd'));
    await createTopic(status!, 2, KAFKA_BOOTSTRAP, compacted('snappy'));

    const worker = await cluster.addWorker();
    const reply = await worker.rest('POST', '/connectors', {
      name: 'slow',
      config: { 'connector.class': 'SlowStartStopSource', 'tasks.max': '1' },
    });
    assert.equal(reply.status, 201, reply.text);
    await cluster.waitForState(worker, 'slow', 'RUNNING', 1);

    await worker.kill9();
    await worker.start();
    await cluster.waitForState(worker, 'slow', 'RUNNING', 1);
  });
});
