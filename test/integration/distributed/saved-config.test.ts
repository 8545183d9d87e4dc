// A distributed worker must start and serve REST whatever the config topic holds: a connector config
// written there directly (by an older version or by hand) asking for tasks.max=1000000000 starts FAILED
// naming the key, on every start, instead of exhausting the heap; so does one whose plugin is not installed
// (before, that one was only logged and showed no state); REST can delete both.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { produce } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor } from '../../support/worker-process.js';
import { TestCluster, type DistributedWorker } from './distributed-worker.js';

async function waitForFailedConnector(worker: DistributedWorker, name: string): Promise<string> {
  const status = await waitFor(
    async () => {
      const reply = await worker.rest<{ connector: { state: string; trace?: string } }>(
        'GET',
        `/connectors/${name}/status`,
      );
      return reply.status === 200 && reply.body.connector.state === 'FAILED' ? reply.body : false;
    },
    60_000,
    `${name} FAILED`,
  );
  return status.connector.trace ?? '';
}

describe('a config topic holding a connector no worker can run', { timeout: 180_000 }, () => {
  let cluster: TestCluster | null = null;
  after(async () => {
    await cluster?.dispose();
  });

  test('tasks.max=1000000000 or an uninstalled plugin in the config topic: FAILED naming the cause, after a restart too; DELETE works', async () => {
    cluster = await TestCluster.create();
    const worker = await cluster.addWorker();
    const name = uniqueName('dist-huge');
    const config = {
      name,
      'connector.class': 'FileStreamSink',
      topics: uniqueName('it-dist-huge'),
      file: join(cluster.dir, 'out.txt'),
      'tasks.max': '1000000000',
    };
    const uninstalled = uniqueName('dist-uninstalled');
    const uninstalledConfig = {
      ...config,
      name: uninstalled,
      'connector.class': 'com.example.GoneConnector',
      'tasks.max': '1',
    };
    await produce(cluster.topics[0]!, [
      { key: `connector-${name}`, value: JSON.stringify({ properties: config }) },
      { key: `connector-${uninstalled}`, value: JSON.stringify({ properties: uninstalledConfig }) },
    ]);
    assert.match(await waitForFailedConnector(worker, name), /tasks\.max/);
    assert.match(
      await waitForFailedConnector(worker, uninstalled),
      /PLUGIN_NOT_FOUND|com\.example\.GoneConnector/,
    );

    // Every start reads the same configs: the worker comes up and reports them FAILED again.
    await worker.kill9();
    await worker.start();
    assert.match(await waitForFailedConnector(worker, name), /tasks\.max/);
    assert.match(await waitForFailedConnector(worker, uninstalled), /com\.example\.GoneConnector/);

    assert.equal((await worker.rest('DELETE', `/connectors/${name}`)).status, 204);
    assert.equal((await worker.rest('DELETE', `/connectors/${uninstalled}`)).status, 204);
    await waitFor(
      async () => ((await worker.rest<string[]>('GET', '/connectors')).body as string[]).length === 0,
      30_000,
      'the connector gone',
    );
    assert.ok(worker.running);
  });
});
