// Issue 20: sink consumers read committed by default, so a sink never writes the records of an aborted
// Kafka transaction; consumer.override.isolation.level=read_uncommitted (Connect's consumer default) does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTopic, produceTransactions } from '../../support/kafka-test-client.js';
import { sleep, uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

let worker: WorkerProcess;

before(async () => {
  worker = await WorkerProcess.start({
    properties: {
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.flush.interval.ms': '500',
    },
  });
});

after(async () => {
  await worker?.dispose();
});

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
}

test('FileStreamSink writes only committed transactions; read_uncommitted also the aborted ones', async () => {
  const topic = uniqueName('read-committed');
  await createTopic(topic, 1);
  await produceTransactions(topic, [
    { values: ['committed-1', 'committed-2'], commit: true },
    { values: ['aborted-1', 'aborted-2'], commit: false },
    { values: ['committed-3'], commit: true },
  ]);
  const committedFile = join(worker.dir, 'committed.txt');
  const uncommittedFile = join(worker.dir, 'uncommitted.txt');
  const bad = await worker.rest('POST', '/connectors', {
    name: uniqueName('bad-isolation'),
    config: {
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: committedFile,
      'consumer.override.isolation.level': 'read_some',
    },
  });
  assert.equal(bad.status, 400, bad.text);
  assert.match(bad.text, /consumer\.override\.isolation\.level/);
  await worker.createConnector(uniqueName('read-committed'), {
    'connector.class': 'FileStreamSink',
    topics: topic,
    file: committedFile,
  });
  await worker.createConnector(uniqueName('read-uncommitted'), {
    'connector.class': 'FileStreamSink',
    topics: topic,
    file: uncommittedFile,
    'consumer.override.isolation.level': 'read_uncommitted',
  });
  await waitFor(
    async () => (await lines(uncommittedFile)).length >= 5,
    60_000,
    'read_uncommitted sink caught up',
  );
  await waitFor(
    async () => (await lines(committedFile)).length >= 3,
    60_000,
    'read_committed sink caught up',
  );
  await sleep(1_500);
  assert.deepEqual(await lines(committedFile), ['committed-1', 'committed-2', 'committed-3']);
  assert.deepEqual(await lines(uncommittedFile), [
    'committed-1',
    'committed-2',
    'aborted-1',
    'aborted-2',
    'committed-3',
  ]);
});
