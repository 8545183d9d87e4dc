// A rewind job on real Kafka and Redis: refused while the sink runs, a dry run moves nothing, a real one sets
// the stopped FileStreamSink's committed offset to the first record at the timestamp, and the resumed sink
// delivers again from there.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REDIS_URL } from '../../support/endpoints.js';
import { createTopic, deleteTopics, produce } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

interface JobBody {
  readonly id: string;
  readonly state: string;
  readonly error: string | null;
  readonly result: { units: { dry_run: boolean; moves: unknown[] }[] } | null;
}

const topic = uniqueName('rewind');
const sink = uniqueName('rewind-sink');
const base = Date.now() - 120_000;
let worker: WorkerProcess;
let out: string;

const lines = async (): Promise<string[]> =>
  (await readFile(out, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');

async function runJob(config: Record<string, string>): Promise<JobBody> {
  const reply = await worker.rest<JobBody>('POST', '/jobs', { type: 'rewind', config });
  assert.equal(reply.status, 202, reply.text);
  return waitFor(
    async () => {
      const j = (await worker.rest<JobBody>('GET', `/jobs/${reply.body.id}`)).body;
      return j.state === 'completed' || j.state === 'failed' ? j : false;
    },
    20_000,
    'the rewind job to finish',
  );
}

async function committed(): Promise<unknown> {
  const reply = await worker.rest<{ offsets: { offset: { kafka_offset: number } }[] }>(
    'GET',
    `/connectors/${sink}/offsets`,
  );
  return reply.body.offsets.map((o) => o.offset.kafka_offset);
}

before(async () => {
  await createTopic(topic, 1);
  await produce(topic, [
    ...['a1', 'a2', 'a3', 'a4', 'a5'].map((value, i) => ({ value, timestamp: String(base + i) })),
    ...['b1', 'b2', 'b3', 'b4', 'b5'].map((value, i) => ({ value, timestamp: String(base + 60_000 + i) })),
  ]);
  worker = await WorkerProcess.start({
    properties: {
      'redis.url': REDIS_URL,
      'jobs.queue.prefix': uniqueName('jobs-it'),
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    },
  });
  out = join(worker.dir, 'out.txt');
});

after(async () => {
  await worker?.dispose();
  await deleteTopics([topic]).catch(() => undefined);
});

test('rewind: refused while the sink runs; a dry run shows the move; applied, the sink re-delivers', async () => {
  await worker.createConnector(sink, { 'connector.class': 'FileStreamSink', topics: topic, file: out });
  await waitFor(async () => (await lines()).length === 10, 30_000, 'ten lines in the sink file');

  const running = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'rewind',
    config: { connector: sink, timestamp: String(base + 60_000) },
  });
  assert.equal(running.status, 409);
  assert.match(running.body.message, /is RUNNING: stop it first/);

  assert.equal((await worker.rest('PUT', `/connectors/${sink}/stop`)).status, 204);
  await worker.waitForState(sink, 'STOPPED', 0);
  await waitFor(async () => (await committed()) as number[], 10_000, 'committed offsets');
  assert.deepEqual(await committed(), [10]);

  const badTime = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'rewind',
    config: { connector: sink, timestamp: 'yesterday' },
  });
  assert.equal(badTime.status, 400);
  assert.match(badTime.body.message, /'timestamp' yesterday/);
  const future = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'rewind',
    config: { connector: sink, timestamp: new Date(Date.now() + 3_600_000).toISOString() },
  });
  assert.equal(future.status, 400);
  assert.match(future.body.message, /in the future/);

  const at = new Date(base + 60_000).toISOString();
  const dry = await runJob({ connector: sink, timestamp: at });
  assert.equal(dry.state, 'completed', dry.error ?? '');
  assert.deepEqual(dry.result?.units[0]?.moves, [{ topic, partition: 0, from: 10, to: 5 }]);
  assert.equal(dry.result?.units[0]?.dry_run, true);
  assert.deepEqual(await committed(), [10], 'a dry run moves nothing');

  const applied = await runJob({ connector: sink, timestamp: at, 'dry.run': 'false' });
  assert.equal(applied.state, 'completed', applied.error ?? '');
  assert.deepEqual(await committed(), [5]);

  assert.ok((await worker.rest('PUT', `/connectors/${sink}/resume`)).status < 300);
  await waitFor(async () => (await lines()).length === 15, 30_000, 'the rewound records again');
  assert.deepEqual((await lines()).slice(10), ['b1', 'b2', 'b3', 'b4', 'b5']);
});
