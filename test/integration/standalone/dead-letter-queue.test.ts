// Sink error handling with the real Kafka: a record the JsonConverter cannot read goes to the dead
// letter queue with its original bytes and Connect's __connect.errors.* headers (errors.tolerance=all),
// or fails the task with a trace naming the cause (errors.tolerance=none).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTopic, deleteTopics, produce, readTopic } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

const POISON = Buffer.from('{"n": 3, broken');
const POISON_OFFSET = 3;
const VALID = [0, 1, 2, 4, 5, 6].map((n) => ({ n, line: `{"n":${n}}` }));

const jsonSinkConfig = (topic: string, file: string): Record<string, string> => ({
  'connector.class': 'FileStreamSink',
  topics: topic,
  file,
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
});

async function lines(file: string): Promise<string[]> {
  try {
    return (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
  } catch {
    return [];
  }
}

describe('dead letter queue and error tolerance', { timeout: 180_000 }, () => {
  let worker: WorkerProcess;
  const topic = uniqueName('it-dlq-in');
  const dlq = uniqueName('it-dlq');

  before(async () => {
    await createTopic(topic, 1);
    // offsets 0..6; offset 3 is not JSON
    await produce(topic, [
      ...VALID.slice(0, 3).map((v) => ({ key: `k${v.n}`, value: JSON.stringify({ n: v.n }) })),
      { key: 'k3', value: POISON, headers: { origin: 'poison-test' } },
      ...VALID.slice(3).map((v) => ({ key: `k${v.n}`, value: JSON.stringify({ n: v.n }) })),
    ]);
    worker = await WorkerProcess.start();
  });
  after(async () => {
    await worker?.dispose();
    await deleteTopics([topic, dlq]);
  });

  test('errors.tolerance=all: valid records reach the file, the poison record lands on the DLQ with context headers', async () => {
    const name = uniqueName('dlq-sink');
    const out = join(worker.dir, 'tolerant.txt');
    await worker.createConnector(name, {
      ...jsonSinkConfig(topic, out),
      'errors.tolerance': 'all',
      'errors.deadletterqueue.topic.name': dlq,
      'errors.deadletterqueue.topic.replication.factor': '1',
      'errors.deadletterqueue.context.headers.enable': 'true',
    });
    await worker.waitForState(name, 'RUNNING', 1);
    await waitFor(
      async () => (await lines(out)).length >= VALID.length,
      45_000,
      `${VALID.length} lines in ${out}`,
    );
    assert.deepEqual(
      await lines(out),
      VALID.map((v) => v.line),
    );

    const [dead, ...more] = await readTopic(dlq, 1, 45_000);
    assert.equal(more.length, 0, 'more than the poison record on the DLQ');
    assert.ok(dead);
    assert.deepEqual(dead.value, POISON, 'the DLQ record must carry the original value bytes');
    assert.equal(dead.key?.toString(), 'k3');
    const h = dead.headers;
    assert.equal(h['origin'], 'poison-test', 'original headers must be kept');
    assert.equal(h['__connect.errors.topic'], topic);
    assert.equal(h['__connect.errors.partition'], '0');
    assert.equal(h['__connect.errors.offset'], String(POISON_OFFSET));
    assert.equal(h['__connect.errors.connector.name'], name);
    assert.equal(h['__connect.errors.task.id'], '0');
    assert.equal(h['__connect.errors.stage'], 'VALUE_CONVERTER');
    assert.equal(h['__connect.errors.class.name'], 'org.apache.kafka.connect.json.JsonConverter');
    assert.ok((h['__connect.errors.exception.class.name'] ?? '') !== '', 'exception class header missing');
    assert.ok((h['__connect.errors.exception.message'] ?? '') !== '', 'exception message header missing');
    assert.ok((h['__connect.errors.exception.stacktrace'] ?? '') !== '', 'stack trace header missing');

    const status = await worker.status(name);
    assert.equal(status.tasks[0]?.state, 'RUNNING', 'a tolerated error must not fail the task');
  });

  test('errors.tolerance=none: the task goes FAILED with a trace naming the stage and cause', async () => {
    const name = uniqueName('strict-sink');
    const out = join(worker.dir, 'strict.txt');
    await worker.createConnector(name, jsonSinkConfig(topic, out));
    const failed = await waitFor(
      async () => {
        const s = await worker.status(name);
        return s.tasks[0]?.state === 'FAILED' ? s.tasks[0] : false;
      },
      45_000,
      `${name} task FAILED`,
    );
    assert.equal(
      (await worker.status(name)).connector.state,
      'RUNNING',
      'the connector itself stays RUNNING',
    );
    const trace = failed.trace ?? '';
    assert.match(trace, /Tolerance exceeded/);
    assert.match(
      trace,
      /VALUE_CONVERTER|JsonConverter/,
      `trace does not name the stage: ${trace.slice(0, 500)}`,
    );
    const written = await lines(out);
    assert.ok(!written.some((l) => l.includes('broken')), 'the poison record was written');
    assert.ok(written.length <= POISON_OFFSET, 'records after the poison record were written');
  });
});
