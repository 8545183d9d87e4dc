// S3Source through the real worker against the project's S3 server and Kafka: records written by the S3 sink
// (JSON lines with key, value, timestamp and headers, base64) are restored into new topics byte for byte,
// per partition in order, with null and repeated headers and timestamps; a stopped and a kill -9'd worker
// resume without gaps; topic renames, start.time/end.time, a target with too few partitions, a missing bucket
// and a corrupt object.
//
// The round trip moves S3_SOURCE_RECORDS records, by default the 100,000 (the whole file takes about
// 70 s here); S3_SOURCE_RECORDS=20000 is a quicker run. The count must be a multiple of 4 × 5,000
// (partitions × flush.size) so that the sink flushes every record.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createTopic, topicSize } from '../../support/kafka-test-client.js';
import {
  javaConsume,
  javaProduce,
  type JavaConsumedRecord,
  type JavaOutgoingRecord,
} from '../../support/java-kafka-client.js';
import { TestBucket } from '../../support/s3-bucket.js';
import { trickyHeaders } from '../../support/tricky-headers.js';
import { uniqueName, waitFor, WorkerProcess, writeProperties } from '../../support/worker-process.js';

const PARTITIONS = 4;
const FLUSH_SIZE = 5_000;
const COUNT = Number(process.env['S3_SOURCE_RECORDS'] ?? 100_000);
if (COUNT % (PARTITIONS * FLUSH_SIZE) !== 0)
  throw new Error(`S3_SOURCE_RECORDS=${COUNT} is not a multiple of ${PARTITIONS * FLUSH_SIZE}`);

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

let bucket: TestBucket;
let worker: WorkerProcess;
let sourceTopic: string;
/** The original records as the Java consumer read them, per partition in offset order. */
let original: Map<number, string[]>;
/** Their timestamps, in the same order. */
let originalTimes: Map<number, number[]>;
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

/** Equal sequences, or the first place they differ (100k-element deepEqual diffs are unreadable). */
function assertSameSequence(actual: readonly string[], expected: readonly string[], what: string): void {
  const at = actual.findIndex((line, i) => line !== expected[i]);
  if (at >= 0 || actual.length !== expected.length)
    assert.fail(
      `${what}: ${actual.length} record(s), expected ${expected.length}; first difference at ${at}: ${actual[at]} vs ${expected[at]}`,
    );
}

function sourceConfig(target: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': 'io.confluent.connect.s3.source.S3SourceConnector',
    'tasks.max': '2',
    topics: sourceTopic,
    ...bucket.connectorSettings(),
    ...STORED_FIELDS,
    ...BYTES,
    'topic.regex': '(.*)',
    'topic.regex.replacement': target,
    's3.poll.interval.ms': '1000',
    ...extra,
  };
}

async function failedTrace(w: WorkerProcess, name: string): Promise<string> {
  const status = await w.waitForTaskState(name, 'FAILED', 45_000).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; worker: ${w.output.slice(-3000)}`);
  });
  return status.tasks.find((t) => t.state === 'FAILED')?.trace ?? '';
}

before(async () => {
  bucket = await TestBucket.create('s3-source');
  worker = await WorkerProcess.start({ properties: { 'offset.flush.interval.ms': '500' } });
  sourceTopic = uniqueName('s3src');
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
  original = byPartition(await javaConsume([sourceTopic], COUNT, 60_000));
  originalTimes = new Map(
    [...original].map(([p, lines]) => [p, lines.map((l) => Number(l.slice(l.lastIndexOf(' ') + 1)))]),
  );
  const sink = uniqueName('s3src-sink');
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
});

describe('S3 source', { timeout: 300_000 }, () => {
  test(`round trip: ${COUNT} records restored per partition, byte for byte, headers and timestamps included`, async () => {
    const target = uniqueName('s3src-restored');
    await createTopic(target, PARTITIONS);
    const name = uniqueName('s3src-roundtrip');
    const started = Date.now();
    await worker.createConnector(name, sourceConfig(target));
    const restored = byPartition(await javaConsume([target], COUNT, 90_000));
    console.log(`restored ${COUNT} records in ${Date.now() - started} ms`);
    for (let p = 0; p < PARTITIONS; p++)
      assertSameSequence(restored.get(p) ?? [], original.get(p)!, `partition ${p}`);
    await worker.rest('DELETE', `/connectors/${name}`);
    assert.equal(await topicSize(target), COUNT);
  });

  test('a stopped worker resumes exactly; a kill -9 replays at most the uncommitted tail, never skips', async () => {
    const target = uniqueName('s3src-resume');
    await createTopic(target, PARTITIONS);
    const name = uniqueName('s3src-resume');
    const restarting = await WorkerProcess.create({ properties: { 'offset.flush.interval.ms': '200' } });
    try {
      const file = await writeProperties(join(restarting.dir, 'source.properties'), {
        name,
        ...sourceConfig(target, { 'batch.max.records': '100', 'tasks.max': '1' }),
      });
      await restarting.start([file]);
      const size = () => topicSize(target).catch(() => 0);
      await waitFor(async () => (await size()) >= COUNT / 5, 60_000, 'a fifth restored', 20);
      await restarting.terminate();
      const atStop = await size();
      await restarting.start([file]);
      await waitFor(async () => (await size()) >= atStop + COUNT / 5, 60_000, 'more restored', 20);
      await restarting.kill9();
      const atKill = await size();
      assert.ok(atKill < COUNT, `the kill came after the end (${atKill} of ${COUNT}): nothing was tested`);
      await restarting.start([file]);
      await waitFor(async () => (await size()) >= COUNT, 90_000, `all ${COUNT} restored`);
      await new Promise((r) => setTimeout(r, 2_000));
      const total = await size();
      const restored = byPartition(await javaConsume([target], total, 90_000));
      let replayed = 0;
      for (let p = 0; p < PARTITIONS; p++) {
        const got = restored.get(p) ?? [];
        const want = original.get(p)!;
        // got = want[0, a) + want[b, end) with b <= a: one replay of records sent after the last offset commit.
        let a = 0;
        while (a < got.length && got[a] === want[a]) a++;
        const b = want.length - (got.length - a);
        assert.ok(b <= a && b >= 0, `partition ${p}: ${got.length} records, ${want.length} expected (a gap)`);
        assertSameSequence(got.slice(a), want.slice(b), `partition ${p} after the replay`);
        replayed += a - b;
      }
      console.log(`stopped at ${atStop}, killed at ${atKill} records; ${replayed} replayed after the kill`);
      assert.ok(replayed <= atKill - atStop, 'only records sent after the restart can be replayed');
    } finally {
      await restarting.dispose();
    }
  });

  test('topic.regex.replacement renames, start.time/end.time keep [start, end) of record time', async () => {
    const target = uniqueName('window');
    await createTopic(target, PARTITIONS);
    const name = uniqueName('s3src-window');
    const start = base + COUNT / 4;
    const end = base + COUNT / 2;
    await worker.createConnector(
      name,
      sourceConfig(target, {
        'topic.regex': '(s3src)-(.*)',
        'topic.regex.replacement': target,
        'start.time': new Date(start).toISOString(),
        'end.time': String(end),
      }),
    );
    const expected = new Map<number, string[]>();
    let count = 0;
    for (const [p, lines] of original) {
      const times = originalTimes.get(p)!;
      const kept = lines.filter((_, i) => times[i]! >= start && times[i]! < end);
      expected.set(p, kept);
      count += kept.length;
    }
    assert.equal(count, COUNT / 4);
    const restored = byPartition(await javaConsume([target], count, 60_000));
    for (let p = 0; p < PARTITIONS; p++)
      assertSameSequence(restored.get(p) ?? [], expected.get(p)!, `partition ${p}`);
    await new Promise((r) => setTimeout(r, 2_000));
    assert.equal(await topicSize(target), count, 'records outside the window were skipped');
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('a rename with groups: topic.regex=(s3src)-(.*) and restored-$2-$1', async () => {
    const suffix = sourceTopic.slice('s3src-'.length);
    const target = `restored-${suffix}-s3src`;
    await createTopic(target, PARTITIONS);
    const name = uniqueName('s3src-groups');
    await worker.createConnector(
      name,
      sourceConfig(target, {
        'topic.regex': '(s3src)-(.*)',
        'topic.regex.replacement': 'restored-$2-$1',
        'end.time': String(base + PARTITIONS),
      }),
    );
    const restored = await javaConsume([target], PARTITIONS, 60_000);
    assert.deepEqual(
      restored.map((r) => r.partition).sort(),
      Array.from({ length: PARTITIONS }, (_, p) => p),
    );
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('restore.partitions into a topic with fewer partitions fails naming the partition', async () => {
    const target = uniqueName('s3src-narrow');
    await createTopic(target, 2);
    const name = uniqueName('s3src-narrow');
    await worker.createConnector(name, sourceConfig(target, { 'tasks.max': '1' }));
    const trace = await failedTrace(worker, name);
    assert.match(trace, /KAFKA_FATAL/);
    assert.match(trace, new RegExp(`partition [23] of topic ${target}, which has 2 partition\\(s\\)`));
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('a missing bucket is retried within errors.retry.timeout, then FAILED with S3_BUCKET_NOT_FOUND', async () => {
    const name = uniqueName('s3src-nobucket');
    await worker.createConnector(
      name,
      sourceConfig(uniqueName('never'), {
        'tasks.max': '1',
        's3.bucket.name': `${bucket.name}-missing`,
        'errors.retry.timeout': '3000',
      }),
    );
    const trace = await failedTrace(worker, name);
    assert.match(trace, /S3_BUCKET_NOT_FOUND/);
    assert.match(trace, /errors\.retry\.timeout=3000/);
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('an object that cannot be decoded fails the task with S3_OBJECT_UNREADABLE naming its key', async () => {
    const topic = uniqueName('corrupt');
    const good = `topics/${topic}/partition=0/${topic}+0+0000000000.json`;
    const bad = `topics/${topic}/partition=0/${topic}+0+0000000002.json`;
    await bucket.put(good, '{"key":null,"value":"YQ==","timestamp":1,"headers":[]}\n'.repeat(2));
    await bucket.put(bad, '{"key":null,"value":"Yg==","timestamp":1,"headers":[]}\n{"key": tru');
    const out = `${topic}-out`;
    await createTopic(out, 1);
    const name = uniqueName('s3src-corrupt');
    await worker.createConnector(name, sourceConfig(out, { topics: topic, 'tasks.max': '1' }));
    const trace = await failedTrace(worker, name);
    assert.match(trace, /S3_OBJECT_UNREADABLE/);
    assert.ok(trace.includes(bad), trace);
    assert.equal(await topicSize(out), 2, 'the good object was restored first');
    await worker.rest('DELETE', `/connectors/${name}`);
  });
});
