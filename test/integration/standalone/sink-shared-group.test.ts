// Two sinks in one consumer group (consumer.override.group.id, or two workers running a connector of the
// same name) reading different topics: each gets its own topic's partitions, as with Connect's Java
// consumer. kafkajs's assigner gave only the leader's topics to everyone, so the sink that joined second
// waited for ever, silently (issue 21).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTopic, deleteTopics, produce } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

async function linesOf(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

describe('sinks sharing a consumer group', { timeout: 120_000 }, () => {
  const first = uniqueName('it-shared-a');
  const second = uniqueName('it-shared-b');
  let worker: WorkerProcess | null = null;
  after(async () => {
    await worker?.dispose();
    await deleteTopics([first, second]);
  });

  test('each sink gets the partitions of its own topic', async () => {
    await createTopic(first, 1);
    await createTopic(second, 1);
    await produce(first, [{ value: 'first-1' }]);
    await produce(second, [{ value: 'second-1' }]);
    worker = await WorkerProcess.start();
    const group = uniqueName('it-shared-group');
    const sink = (topic: string, file: string) => ({
      'connector.class': 'FileStreamSink',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'consumer.override.group.id': group,
      topics: topic,
      file,
    });
    const firstOut = join(worker.dir, 'first.txt');
    const secondOut = join(worker.dir, 'second.txt');

    await worker.createConnector(uniqueName('shared-a'), sink(first, firstOut));
    await waitFor(
      async () => (await linesOf(firstOut)).includes('first-1'),
      30_000,
      `${first} in ${firstOut}`,
    );
    await worker.createConnector(uniqueName('shared-b'), sink(second, secondOut));
    await waitFor(
      async () => (await linesOf(secondOut)).includes('second-1'),
      45_000,
      `${second} in ${secondOut} (the sink that joined group ${group} second)`,
    );
    await produce(first, [{ value: 'first-2' }]);
    await waitFor(
      async () => (await linesOf(firstOut)).includes('first-2'),
      30_000,
      `${first} still consumed after the rebalance`,
    );
    assert.deepEqual(await linesOf(firstOut), ['first-1', 'first-2']);
    assert.deepEqual(await linesOf(secondOut), ['second-1']);
  });
});
