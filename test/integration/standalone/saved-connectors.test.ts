// A standalone worker must start and serve REST whatever its saved connectors file holds: a connector
// saved by an older version with an absurd tasks.max starts FAILED naming the key (instead of
// exhausting the heap on every start) and can be deleted. The files holding configs are 0600.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe('saved connectors a worker cannot run', { timeout: 120_000 }, () => {
  let worker: WorkerProcess | null = null;
  after(async () => {
    await worker?.dispose();
  });

  test('a saved tasks.max=1000000000 or uninstalled plugin starts FAILED naming the cause, REST answers, DELETE works; files become 0600', async () => {
    // A small heap: the worker must not try to allocate anything per requested task.
    worker = await WorkerProcess.create({ env: { NODE_OPTIONS: '--max-old-space-size=256' } });
    const topic = uniqueName('it-saved');
    const bad = uniqueName('saved-huge');
    const good = uniqueName('saved-good');
    const connectorsFile = `${worker.offsetsFile}.connectors.json`;
    const unknownClass = uniqueName('saved-uninstalled');
    const saved = (name: string, tasksMax: string, connectorClass = 'FileStreamSink') => ({
      name,
      config: {
        name,
        'connector.class': connectorClass,
        topics: topic,
        file: join(worker!.dir, `${name}.txt`),
        'tasks.max': tasksMax,
        // What an older version stored: a literal secret, which is why the file must be private.
        'connection.password': 'hunter2',
      },
      targetState: 'STARTED',
      taskConfigs: [],
    });
    await writeFile(
      connectorsFile,
      JSON.stringify({
        connectors: [
          saved(bad, '1000000000'),
          saved(good, '1'),
          saved(unknownClass, '1', 'NoLongerInstalled'),
        ],
      }),
    );
    await writeFile(worker.offsetsFile, '{}');
    await chmod(connectorsFile, 0o644);
    await chmod(worker.offsetsFile, 0o644);

    await worker.start();
    const failed = await waitFor(
      async () => {
        const s = await worker!.status(bad);
        return s.connector.state === 'FAILED' ? s : false;
      },
      30_000,
      `${bad} FAILED`,
    );
    assert.match(failed.connector.trace ?? '', /tasks\.max/);
    assert.deepEqual(failed.tasks, []);
    // The other saved connector is unaffected.
    await worker.waitForState(good, 'RUNNING', 1);
    // A saved connector whose plugin is no longer installed fails too, instead of ending the process.
    const uninstalled = await waitFor(
      async () => {
        const s = await worker!.status(unknownClass);
        return s.connector.state === 'FAILED' ? s : false;
      },
      30_000,
      `${unknownClass} FAILED`,
    );
    assert.match(uninstalled.connector.trace ?? '', /NoLongerInstalled/);

    assert.equal((await worker.rest('DELETE', `/connectors/${bad}`)).status, 204);
    assert.equal((await worker.rest('DELETE', `/connectors/${unknownClass}`)).status, 204);
    assert.deepEqual((await worker.rest<string[]>('GET', '/connectors')).body, [good]);
    assert.ok(worker.running, 'the worker is still running');

    assert.equal(await modeOf(connectorsFile), 0o600, 'connectors file mode');
    assert.equal(await modeOf(worker.offsetsFile), 0o600, 'offsets file mode');

    // After a restart the deleted connector stays deleted and the files stay private.
    await worker.terminate();
    await worker.start();
    assert.deepEqual((await worker.rest<string[]>('GET', '/connectors')).body, [good]);
    assert.equal(await modeOf(connectorsFile), 0o600);
  });
});
