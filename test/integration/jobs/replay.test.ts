// The `replay` job against the project's S3 server, Redis and Kafka: records the S3 sink archived (JSON lines
// with key, value, timestamp and headers) are replayed for a time range into a new topic, and that topic equals
// the range of the original topic, per partition in order, byte for byte (keys, values, headers, timestamps).
// Bad input (an empty or unreadable range, a topic with nothing archived) is a 400 naming the problem.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { REDIS_URL } from '../../support/endpoints.js';
import { createTopic, deleteTopics, topicSize } from '../../support/kafka-test-client.js';
import {
  javaConsume,
  javaProduce,
  type JavaConsumedRecord,
  type JavaOutgoingRecord,
} from '../../support/java-kafka-client.js';
import { TestBucket } from '../../support/s3-bucket.js';
import { trickyHeaders } from '../../support/tricky-headers.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';
import { jobCompleted, jobPast, type JobBody } from './job-client.js';

const PARTITIONS = 3;
const FLUSH_SIZE = 1_000;
const COUNT = 12_000;
/** The replayed range, in record numbers: its bounds fall inside objects, so objects are cut by time. */
const FROM = 2_500;
const TO = 9_700;

const BYTES = {
  'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
};

const STORED_FIELDS = {
  'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
  'format.output.fields': 'key,value,timestamp,headers',
  'format.output.fields.value.encoding': 'base64',
};

type ReplayResult = { records: number; units: { partition: number; objects: number }[] };

let bucket: TestBucket;
let worker: WorkerProcess;
const sourceTopic = uniqueName('replay-src');
const targets: string[] = [];
let original: JavaConsumedRecord[];
const base = Date.now() - 3_600_000;

const b64 = (b: Buffer | null): string => (b === null ? '-' : b.toString('base64'));

/** One comparable line per record: key, value, headers in order (null kept), timestamp. */
function shape(r: JavaConsumedRecord): string {
  const headers = r.headers.map((h) => `${h.key}:${b64(h.value)}`).join(',');
  return `${b64(r.key)} ${b64(r.value)} [${headers}] ${r.timestamp}`;
}

function byPartition(records: readonly JavaConsumedRecord[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const r of [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
    let list = out.get(r.partition);
    if (list === undefined) out.set(r.partition, (list = []));
    list.push(shape(r));
  }
  return out;
}

function replayConfig(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...bucket.connectorSettings(),
    ...STORED_FIELDS,
    ...BYTES,
    topic: sourceTopic,
    from: new Date(base + FROM).toISOString(),
    to: String(base + TO),
    ...extra,
  };
}

before(async () => {
  bucket = await TestBucket.create('replay');
  worker = await WorkerProcess.start({
    properties: {
      'redis.url': REDIS_URL,
      'jobs.queue.prefix': uniqueName('jobs-replay'),
      // Short enough for the kill test to resume soon, long enough that a loaded machine does not stall a unit.
      'jobs.lock.duration.ms': '10000',
    },
  });
  await createTopic(sourceTopic, PARTITIONS);
  const records: JavaOutgoingRecord[] = Array.from({ length: COUNT }, (_, i) => ({
    topic: sourceTopic,
    compression: 'none',
    partition: i % PARTITIONS,
    timestamp: base + i,
    key: i % 11 === 0 ? null : Buffer.from([0, 255, i & 0xff, (i >> 8) & 0xff]),
    value: i % 13 === 0 ? Buffer.alloc(0) : Buffer.from(`v${i}\n{"not":"json"\u00ff`, 'latin1'),
    headers: trickyHeaders(i),
  }));
  await javaProduce(records);
  original = await javaConsume([sourceTopic], COUNT, 60_000);
  const sink = uniqueName('replay-sink');
  await worker.createConnector(sink, {
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
    'tasks.max': '1',
    topics: sourceTopic,
    ...bucket.connectorSettings(),
    ...STORED_FIELDS,
    ...BYTES,
    'flush.size': String(FLUSH_SIZE),
  });
  const objects = COUNT / FLUSH_SIZE;
  await waitFor(
    async () => (await bucket.keys(`topics/${sourceTopic}/`)).length >= objects,
    120_000,
    `${objects} objects from the sink`,
  );
  await worker.rest('DELETE', `/connectors/${sink}`);
});

after(async () => {
  await worker?.dispose();
  await bucket?.drop();
  await deleteTopics([sourceTopic, ...targets]).catch(() => undefined);
});

test('a replay of a time range equals that range of the original topic, per partition in order', async () => {
  const target = uniqueName('replayed');
  targets.push(target);
  const submitted = await worker.rest<JobBody<ReplayResult>>('POST', '/jobs', {
    type: 'replay',
    config: replayConfig({ 'target.topic': target, 'topic.partitions': String(PARTITIONS) }),
  });
  assert.equal(submitted.status, 202, submitted.text);
  assert.equal(submitted.body.progress.units_total, PARTITIONS, 'one unit per partition');
  const done = await jobCompleted<ReplayResult>(worker, submitted.body.id, 120_000, 'the replay to complete');
  const expected = original.filter((r) => r.timestamp >= base + FROM && r.timestamp < base + TO);
  assert.equal(expected.length, TO - FROM);
  assert.equal(done.progress.records, expected.length, 'records replayed');
  assert.equal(done.result?.records, expected.length, 'records in the result');
  assert.equal(done.progress.possible_duplicates, 0, 'possible duplicates without a kill');
  assert.deepEqual(
    done.result?.units.map((u) => [u.partition, u.objects]),
    [0, 1, 2].map((p) => [p, COUNT / FLUSH_SIZE / PARTITIONS]),
  );

  const replayed = byPartition(await javaConsume([target], expected.length, 60_000));
  const wanted = byPartition(expected);
  assert.deepEqual([...replayed.keys()].sort(), [...wanted.keys()].sort());
  for (const [partition, lines] of wanted) {
    const got = replayed.get(partition) ?? [];
    const at = got.findIndex((line, i) => line !== lines[i]);
    if (at >= 0 || got.length !== lines.length)
      assert.fail(
        `partition ${partition}: ${got.length} record(s), expected ${lines.length}; first difference at ${at}: ${got[at]} vs ${lines[at]}`,
      );
  }
});

test('a replay whose worker is killed mid-job resumes from the object it was in: nothing lost, order kept', async () => {
  const target = uniqueName('replayed-kill');
  targets.push(target);
  const submitted = await worker.rest<JobBody<ReplayResult>>('POST', '/jobs', {
    type: 'replay',
    config: replayConfig({
      'target.topic': target,
      'topic.partitions': String(PARTITIONS),
      'batch.max.records': '100',
      'max.records.per.second': '600',
    }),
  });
  assert.equal(submitted.status, 202, submitted.text);
  const id = submitted.body.id;
  const beforeKill = await jobPast(worker, id, 1_500, 60_000);
  await worker.kill9();
  await worker.start();
  const done = await jobCompleted<ReplayResult>(
    worker,
    id,
    120_000,
    'the restarted worker to complete the replay',
  );
  const expected = original.filter((r) => r.timestamp >= base + FROM && r.timestamp < base + TO);
  assert.ok(beforeKill.progress.records < expected.length, 'the worker was killed mid-job');
  const reported = done.progress.possible_duplicates;
  // Records count once: those re-sent after the resume replace the ones in flight at the kill.
  assert.equal(done.progress.records, expected.length);
  // At most the object each running unit was in is sent again (concurrency 2, objects of FLUSH_SIZE).
  assert.ok(reported <= 2 * FLUSH_SIZE, `${reported} possible duplicates`);

  // Everything on the topic, duplicates included.
  const replayed = await javaConsume([target], await topicSize(target), 60_000);
  assert.ok(replayed.length - expected.length <= reported, `${replayed.length - expected.length} duplicates`);
  const wanted = byPartition(expected);
  for (const [partition, lines] of byPartition(replayed)) {
    // A resumed unit re-sends its object from the start: the first sighting of each record keeps the order.
    const firsts = [...new Set(lines)];
    const want = wanted.get(partition) ?? [];
    const at = firsts.findIndex((line, i) => line !== want[i]);
    if (at >= 0 || firsts.length !== want.length)
      assert.fail(
        `partition ${partition}: ${firsts.length} distinct record(s), expected ${want.length}; first difference at ${at}`,
      );
  }
});

test('bad replay requests get a 400 naming the problem, and nothing is queued', async () => {
  const before = (await worker.rest<JobBody[]>('GET', '/jobs')).body.length;
  const empty = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'replay',
    config: replayConfig({ from: String(base + TO), to: String(base + FROM) }),
  });
  assert.equal(empty.status, 400, empty.text);
  assert.match(empty.body.message, /time range is empty: 'to' .* is not after 'from'/);

  const unreadable = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'replay',
    config: replayConfig({ from: 'yesterday' }),
  });
  assert.equal(unreadable.status, 400);
  assert.match(unreadable.body.message, /'from' yesterday is neither ISO-8601/);

  const noTimestamps = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'replay',
    config: replayConfig({ 'format.output.fields': 'value' }),
  });
  assert.equal(noTimestamps.status, 400);
  assert.match(noTimestamps.body.message, /timestamp/);

  const nothing = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'replay',
    config: replayConfig({ topic: 'never-archived' }),
  });
  assert.equal(nothing.status, 400);
  assert.match(nothing.body.message, /no objects of topic never-archived under topics\/never-archived\//);

  const noBucket = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'replay',
    config: replayConfig({ 's3.bucket.name': 'no-such-bucket-for-replay' }),
  });
  assert.equal(noBucket.status, 400);
  assert.match(noBucket.body.message, /cannot list s3:\/\/no-such-bucket-for-replay at .*NoSuchBucket/);

  const missing = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'replay',
    config: { ...replayConfig(), to: undefined },
  });
  assert.equal(missing.status, 400);
  assert.match(missing.body.message, /'to' is required/);
  assert.equal((await worker.rest<JobBody[]>('GET', '/jobs')).body.length, before);
});
