// A source connector's own offsets topic (Connect's `offsets.storage.topic`, KIP-618) with exactly-once
// sources: the transactions write the connector's offsets to its topic (not the worker's), a restart after
// kill -9 resumes from there, and GET /connectors/{name}/offsets reads them.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTopic, deleteTopics, TopicTail } from '../../support/kafka-test-client.js';
import { sleep, uniqueName, waitFor, WorkerProcess, writeProperties } from '../../support/worker-process.js';

async function lines(file: string, from: number, count: number): Promise<void> {
  let text = '';
  for (let i = from; i < from + count; i++) text += `${i}\n`;
  await appendFile(file, text);
}

/** The connectors whose offsets a topic holds (keys `["<connector>",{...}]`), read to its end. */
async function connectorsIn(topic: string): Promise<Set<string>> {
  const tail = await TopicTail.start(topic);
  try {
    await sleep(3_000);
    return new Set(tail.messages.map((m) => (JSON.parse(m.key?.toString('utf8') ?? '[]') as string[])[0]!));
  } finally {
    await tail.stop();
  }
}

describe("a source connector's own offsets.storage.topic", { timeout: 180_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  test('exactly once: offsets go to the connector topic, a restart resumes from it, REST reads it', async () => {
    const topic = uniqueName('it-eos-own');
    const workerOffsets = uniqueName('it-eos-worker-offsets');
    const ownOffsets = uniqueName('it-eos-own-offsets');
    await createTopic(topic, 1);
    cleanups.push(() => deleteTopics([topic, workerOffsets, ownOffsets]));
    const worker = await WorkerProcess.create({
      properties: {
        'exactly.once.source.support': 'enabled',
        'offset.storage.topic': workerOffsets,
        'offset.storage.partitions': '1',
        'offset.storage.replication.factor': '1',
      },
    });
    cleanups.push(() => worker.dispose());
    const input = join(worker.dir, 'in.txt');
    await writeFile(input, '');
    const name = uniqueName('own-offsets');
    const connectorFile = await writeProperties(join(worker.dir, 'source.properties'), {
      name,
      'connector.class': 'FileStreamSource',
      file: input,
      topic,
      'offsets.storage.topic': ownOffsets,
    });
    await lines(input, 0, 1_000);
    await worker.start([connectorFile]);
    const tail = await TopicTail.start(topic);
    cleanups.push(() => tail.stop());
    await tail.waitForCount(1_000, 60_000, topic);
    await worker.kill9();
    await lines(input, 1_000, 1_000);
    await worker.start([connectorFile]);
    await tail.waitForCount(2_000, 60_000, topic);
    await sleep(2_000);
    // JsonConverter with schemas: {"schema":...,"payload":"<line>"}.
    const values = tail.messages.map(
      (m) => (JSON.parse(m.value?.toString('utf8') ?? '{}') as { payload: string }).payload,
    );
    assert.equal(values.length, 2_000, 'every line once after the restart');
    assert.ok(
      values.every((v, i) => v === String(i)),
      'in file order',
    );
    assert.ok((await connectorsIn(ownOffsets)).has(name), "the connector's offsets are in its own topic");
    const offsets = await worker.rest<{ offsets: { offset: { position: number } }[] }>(
      'GET',
      `/connectors/${name}/offsets`,
    );
    assert.equal(offsets.status, 200, offsets.text);
    assert.ok((offsets.body.offsets[0]?.offset.position ?? 0) > 0, offsets.text);
    await waitFor(async () => (await worker.terminate()).code === 0, 30_000, 'a clean stop');
  });
});
