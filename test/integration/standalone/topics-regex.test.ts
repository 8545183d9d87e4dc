// A sink with topics.regex consumes topics created after it started, as Kafka Connect does: the
// consumer looks at the cluster's topics every metadata.max.age.ms and rejoins its group when the
// matching set changed. Topics that only contain the pattern (not matching it whole) are left alone.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTopic, deleteTopics, produce } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

const METADATA_MAX_AGE_MS = 2_000;

async function lines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

const records = (topic: string, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => ({ value: `${topic}#${from + i}` }));

describe('sink with topics.regex', { timeout: 120_000 }, () => {
  const topics: string[] = [];
  let worker: WorkerProcess | undefined;
  after(async () => {
    await worker?.dispose();
    await deleteTopics(topics);
  });

  test('a matching topic created after the task started is consumed too, from its beginning', async () => {
    const prefix = uniqueName('it-regex');
    const first = `${prefix}.first`;
    const later = `${prefix}.later`;
    // Contains the prefix but does not match `<prefix>.*` as a whole: must never be consumed.
    const bystander = `x-${prefix}.other`;
    topics.push(first, later, bystander);
    await createTopic(first, 2);
    await createTopic(bystander, 1);
    await produce(first, records(first, 0, 5));
    await produce(bystander, records(bystander, 0, 5));

    worker = await WorkerProcess.start();
    const out = join(worker.dir, 'out.txt');
    const name = uniqueName('regex-sink');
    await worker.createConnector(name, {
      'connector.class': 'FileStreamSink',
      'topics.regex': `${prefix}.*`,
      file: out,
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'consumer.override.metadata.max.age.ms': String(METADATA_MAX_AGE_MS),
    });
    await worker.waitForState(name, 'RUNNING', 1);
    await waitFor(async () => (await lines(out)).length >= 5, 30_000, `5 lines of ${first} in ${out}`);

    await createTopic(later, 3);
    const created = Date.now();
    await produce(later, records(later, 0, 5));
    await produce(first, records(first, 5, 10));

    const expected = [...records(first, 0, 10), ...records(later, 0, 5)].map((r) => r.value).sort();
    await waitFor(
      async () => (await lines(out)).length >= expected.length,
      30_000,
      `${expected.length} lines in ${out}`,
      250,
    );
    const arrivedAfterMs = Date.now() - created;
    // Let a stray duplicate or a bystander record show up before judging.
    await new Promise((resolve) => setTimeout(resolve, METADATA_MAX_AGE_MS * 2));
    const written = await lines(out);
    assert.deepEqual([...written].sort(), expected, 'every record of both topics exactly once, nothing else');
    assert.ok(
      arrivedAfterMs < METADATA_MAX_AGE_MS + 15_000,
      `the new topic took ${arrivedAfterMs} ms to be consumed`,
    );
    const status = await worker.status(name);
    assert.equal(status.tasks[0]?.state, 'RUNNING');
    assert.match(worker.output, /topics matching topics\.regex changed/);
    console.log(`new topic consumed ${arrivedAfterMs} ms after it was created`);

    const exit = await worker.terminate();
    assert.equal(exit.code, 0);
  });
});
