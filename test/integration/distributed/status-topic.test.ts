// What a distributed worker leaves in its status topic, in Kafka Connect's records, so Connect tooling (and
// a Java worker taking the topic over) reads the same thing: the topics each connector used (KIP-558's
// `status-topic-<topic>:connector-<name>`), and UNASSIGNED for everything it ran once it stopped cleanly.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createTopic, readTopic, topicSize } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor } from '../../support/worker-process.js';
import { TestCluster } from './distributed-worker.js';

/** The latest value of every key of the status topic, parsed (null for a tombstone). */
async function statusRecords(topic: string): Promise<Map<string, unknown>> {
  const records = await readTopic(topic, await topicSize(topic));
  const latest = new Map<string, unknown>();
  for (const r of records)
    latest.set(String(r.key), r.value === null ? null : (JSON.parse(r.value.toString('utf8')) as unknown));
  return latest;
}

describe('distributed status topic', { timeout: 240_000 }, () => {
  let cluster: TestCluster | null = null;
  let untracked: TestCluster | null = null;
  const topic = uniqueName('it-dist-tracked');
  const untrackedTopic = `${topic}-untracked`;
  after(async () => {
    await cluster?.dispose([topic]);
    await untracked?.dispose([untrackedTopic]);
  });

  test('records the topics connectors used and UNASSIGNED after a clean stop; a restarted worker still lists the topics', async () => {
    cluster = await TestCluster.create();
    await createTopic(topic, 1);
    const worker = await cluster.addWorker();
    const source = 'gen';
    const sink = 'sink';
    const created = await Promise.all([
      worker.rest('POST', '/connectors', {
        name: source,
        config: {
          'connector.class': 'DatagenSource',
          'kafka.topic': topic,
          'max.records': '20',
          'records.per.second': '100',
          'record.size.bytes': '0',
        },
      }),
      worker.rest('POST', '/connectors', {
        name: sink,
        config: { 'connector.class': 'FileStreamSink', topics: topic, file: join(cluster.dir, 'out.txt') },
      }),
    ]);
    for (const reply of created) assert.equal(reply.status, 201, reply.text);
    await cluster.waitForState(worker, source, 'RUNNING', 1);
    await cluster.waitForState(worker, sink, 'RUNNING', 1);
    for (const name of [source, sink])
      await waitFor(
        async () => {
          const reply = await worker.rest<Record<string, { topics: string[] }>>(
            'GET',
            `/connectors/${name}/topics`,
          );
          return reply.status === 200 && reply.body[name]?.topics.includes(topic);
        },
        60_000,
        `${name} lists ${topic} as used`,
      );

    const stopped = await worker.terminate();
    assert.equal(stopped.code, 0, worker.output);
    const statusTopic = cluster.topics[2]!;
    const records = await statusRecords(statusTopic);
    for (const name of [source, sink]) {
      const used = records.get(`status-topic-${topic}:connector-${name}`) as {
        topic: { name: string; connector: string; task: number; discoverTimestamp: number };
      };
      assert.deepEqual(
        { ...used.topic, discoverTimestamp: typeof used.topic.discoverTimestamp },
        { name: topic, connector: name, task: 0, discoverTimestamp: 'number' },
      );
      // Connect's shutdown statuses: UNASSIGNED, no version, by the worker that ran them.
      for (const key of [`status-connector-${name}`, `status-task-${name}-0`])
        assert.deepEqual(
          { ...(records.get(key) as object), generation: 'any' },
          {
            state: 'UNASSIGNED',
            trace: null,
            worker_id: worker.workerId,
            version: null,
            generation: 'any',
          },
          key,
        );
    }

    // The topics are the cluster's, not the memory of the worker that saw them.
    await worker.start();
    const reply = await worker.rest<Record<string, { topics: string[] }>>(
      'GET',
      `/connectors/${sink}/topics`,
    );
    assert.deepEqual(reply.body, { [sink]: { topics: [topic] } });
    assert.equal((await worker.rest('PUT', `/connectors/${sink}/topics/reset`)).status, 202);
    await waitFor(
      async () => (await statusRecords(statusTopic)).get(`status-topic-${topic}:connector-${sink}`) === null,
      30_000,
      'a tombstone for the reset topic record',
    );
  });

  test('topic.tracking.enable=false: no topic records, and the topics endpoints answer 403 as Connect', async () => {
    untracked = await TestCluster.create({ 'topic.tracking.enable': 'false' });
    await createTopic(untrackedTopic, 1);
    const worker = await untracked.addWorker();
    const reply = await worker.rest('POST', '/connectors', {
      name: 'gen',
      config: {
        'connector.class': 'DatagenSource',
        'kafka.topic': untrackedTopic,
        'max.records': '5',
        'record.size.bytes': '0',
      },
    });
    assert.equal(reply.status, 201, reply.text);
    await untracked.waitForState(worker, 'gen', 'RUNNING', 1);
    const topics = await worker.rest<{ error_code: number; message: string }>(
      'GET',
      '/connectors/gen/topics',
    );
    assert.deepEqual(topics.body, { error_code: 403, message: 'Topic tracking is disabled.' });
    assert.equal((await worker.rest('PUT', '/connectors/gen/topics/reset')).status, 403);
    await waitFor(async () => (await topicSize(untrackedTopic)) >= 5, 30_000, 'records produced');
    assert.equal((await worker.terminate()).code, 0, worker.output);
    const keys = [...(await statusRecords(untracked.topics[2]!)).keys()];
    assert.ok(keys.includes('status-connector-gen'), keys.join(', '));
    assert.deepEqual(
      keys.filter((k) => k.startsWith('status-topic-')),
      [],
    );
  });
});
