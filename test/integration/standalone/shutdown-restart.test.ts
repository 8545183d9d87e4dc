// SIGTERM is a graceful stop: the process exits 0 within seconds, and the offsets file holds the last
// offsets Kafka acknowledged (so a restart neither skips nor repeats records). Connectors created over
// REST survive the restart.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readDatagenFile } from '../../support/datagen-output.js';
import { createTopic, deleteTopics, readTopic, topicSize } from '../../support/kafka-test-client.js';
import { sleep, uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

/** The ids `<task>-<seq>` in a JsonConverter (schemas.enable=true) value. */
function idOf(value: Buffer | null): { task: number; seq: number } {
  const parsed = JSON.parse(value?.toString() ?? 'null') as { payload: { task: number; seq: number } };
  return { task: parsed.payload.task, seq: parsed.payload.seq };
}

async function committedSeqs(offsetsFile: string, connector: string): Promise<Map<number, number>> {
  const seqs = new Map<number, number>();
  const stored = JSON.parse(await readFile(offsetsFile, 'utf8')) as Record<string, { seq: number }>;
  for (const [key, offset] of Object.entries(stored)) {
    const [name, partition] = JSON.parse(key) as [string, { task: number }];
    if (name === connector) seqs.set(partition.task, offset.seq);
  }
  return seqs;
}

describe('graceful shutdown and restart', { timeout: 180_000 }, () => {
  const topic = uniqueName('it-shutdown');
  let worker: WorkerProcess | null = null;
  after(async () => {
    await worker?.dispose();
    await deleteTopics([topic]);
  });

  test('SIGTERM exits 0 quickly with acknowledged offsets committed; REST-created connectors come back RUNNING', async () => {
    await createTopic(topic, 1);
    // A long flush interval: only the commit on stop can make the offsets file current.
    worker = await WorkerProcess.start({ properties: { 'offset.flush.interval.ms': '600000' } });
    const source = uniqueName('shutdown-datagen');
    const sink = uniqueName('shutdown-sink');
    const out = join(worker.dir, 'out.txt');
    await worker.createConnector(source, {
      'connector.class': 'DatagenSource',
      'kafka.topic': topic,
      'tasks.max': '2',
      'records.per.second': '300',
      'batch.size': '30',
      'record.size.bytes': '0',
    });
    await worker.createConnector(sink, { 'connector.class': 'FileStreamSink', topics: topic, file: out });
    await worker.waitForState(source, 'RUNNING', 2);
    await worker.waitForState(sink, 'RUNNING', 1);
    await waitFor(async () => (await topicSize(topic)) >= 300, 30_000, '300 records in the topic');

    const started = Date.now();
    const exit = await worker.terminate(15_000);
    const tookMs = Date.now() - started;
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}:\n${worker.output.slice(-2000)}`);
    assert.ok(tookMs < 10_000, `SIGTERM took ${tookMs} ms`);

    // The committed seq of each task is the last one Kafka holds for it.
    const size = await topicSize(topic);
    const messages = await readTopic(topic, size);
    const lastInTopic = new Map<number, number>();
    for (const m of messages) {
      const id = idOf(m.value);
      lastInTopic.set(id.task, Math.max(lastInTopic.get(id.task) ?? -1, id.seq));
    }
    assert.deepEqual(await committedSeqs(worker.offsetsFile, source), lastInTopic);
    const linesAtStop = (await readDatagenFile(out)).length;

    await worker.start([]);
    const names = await worker.rest<string[]>('GET', '/connectors');
    assert.deepEqual([...names.body].sort(), [sink, source].sort());
    await worker.waitForState(source, 'RUNNING', 2);
    await worker.waitForState(sink, 'RUNNING', 1);
    await waitFor(async () => (await topicSize(topic)) >= size + 200, 30_000, 'new records after restart');

    // Resumed exactly after the committed seq: no task repeated a seq.
    const stopAt = await topicSize(topic);
    const all = await readTopic(topic, stopAt);
    const seen = new Set<string>();
    for (const m of all) {
      const id = idOf(m.value);
      const key = `${id.task}-${id.seq}`;
      assert.ok(!seen.has(key), `record ${key} produced twice across a graceful restart`);
      seen.add(key);
    }
    // The sink continued from its committed group offset, too (no re-delivery of what it had written).
    await sleep(500);
    await waitFor(
      async () => (await readDatagenFile(out)).length > linesAtStop,
      30_000,
      'sink writing after restart',
    );
    const lines = await readDatagenFile(out);
    const lineKeys = new Set<string>();
    for (const l of lines) {
      const key = `${l.task}-${l.seq}`;
      assert.ok(!lineKeys.has(key), `sink wrote ${key} twice across a graceful restart`);
      lineKeys.add(key);
    }
    assert.equal((await worker.terminate(15_000)).code, 0);
  });
});
