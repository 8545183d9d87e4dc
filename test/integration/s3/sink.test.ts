// S3Sink through the real worker against the project's S3 server: Confluent's object layout and JSON lines,
// offsets committed only for objects complete in S3, every record part (key, headers with nulls and
// repeats, timestamp) kept with format.output.fields, gzip, multipart objects, time-based directories with
// record-time rotation, tombstones to the dead letter queue, and the error codes a wrong bucket, wrong
// credentials or a dead endpoint end in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Kafka as KafkaClient, Producer } from 'kafkajs';
import { kafkaBrokers } from '../../support/endpoints.js';
import { createTopic, readTopic } from '../../support/kafka-test-client.js';
import { javaProduce, type JavaOutgoingRecord } from '../../support/java-kafka-client.js';
import { TestBucket } from '../../support/s3-bucket.js';
import { trickyHeaders } from '../../support/tricky-headers.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

let bucket: TestBucket;
let worker: WorkerProcess;
let kafka: KafkaClient;
let producer: Producer;

const SCHEMALESS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter.schemas.enable': 'false',
};

const BYTES = {
  'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
};

function sinkConfig(topic: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': 'io.confluent.connect.s3.S3SinkConnector',
    'tasks.max': '1',
    topics: topic,
    ...bucket.connectorSettings(),
    'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
    'flush.size': '10',
    ...SCHEMALESS,
    ...extra,
  };
}

async function waitForKeys(prefix: string, count: number, what: string): Promise<string[]> {
  let keys: string[] = [];
  await waitFor(async () => (keys = await bucket.keys(prefix)).length >= count, 45_000, what).catch(
    (error: unknown) => {
      throw new Error(
        `${(error as Error).message}; keys ${JSON.stringify(keys)}; worker: ${worker.output.slice(-2000)}`,
      );
    },
  );
  return keys;
}

interface CommittedOffset {
  partition: { kafka_topic: string; kafka_partition: number };
  offset: { kafka_offset: number };
}

async function committed(name: string): Promise<Record<number, number>> {
  const reply = await worker.rest<{ offsets: CommittedOffset[] }>('GET', `/connectors/${name}/offsets`);
  return Object.fromEntries(
    reply.body.offsets.map((o) => [o.partition.kafka_partition, o.offset.kafka_offset]),
  );
}

before(async () => {
  bucket = await TestBucket.create('s3-sink');
  kafka = new Kafka({ clientId: 's3-sink-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
  worker = await WorkerProcess.start({ properties: { 'offset.flush.interval.ms': '500' } });
});

after(async () => {
  await worker?.dispose();
  await producer?.disconnect().catch(() => undefined);
  await bucket?.drop();
});

describe('S3 sink', { timeout: 240_000 }, () => {
  test('Confluent layout: one JSON line per value, flush.size records per object, offsets committed only for complete objects', async () => {
    const topic = uniqueName('s3-json');
    await createTopic(topic, 2);
    for (const partition of [0, 1])
      await producer.send({
        topic,
        messages: Array.from({ length: 25 }, (_, i) => ({
          partition,
          key: `k${i}`,
          value: JSON.stringify({ p: partition, i, name: i % 3 === 0 ? 'o\'quote "ünï"' : `n${i}` }),
        })),
      });
    const name = uniqueName('s3-json');
    await worker.createConnector(name, sinkConfig(topic));
    const keys = await waitForKeys(`topics/${topic}/`, 4, 'four objects');
    assert.deepEqual(keys, [
      `topics/${topic}/partition=0/${topic}+0+0000000000.json`,
      `topics/${topic}/partition=0/${topic}+0+0000000010.json`,
      `topics/${topic}/partition=1/${topic}+1+0000000000.json`,
      `topics/${topic}/partition=1/${topic}+1+0000000010.json`,
    ]);
    for (const partition of [0, 1])
      for (const start of [0, 10]) {
        const text = await bucket.text(
          `topics/${topic}/partition=${partition}/${topic}+${partition}+00000000${String(start).padStart(2, '0')}.json`,
        );
        const expected = Array.from({ length: 10 }, (_, j) => {
          const i = start + j;
          return JSON.stringify({ p: partition, i, name: i % 3 === 0 ? 'o\'quote "ünï"' : `n${i}` });
        });
        assert.equal(text, expected.join('\n') + '\n');
      }
    // The last five records of each partition wait for the next object: their offsets stay uncommitted.
    await waitFor(
      async () => JSON.stringify(await committed(name)) === JSON.stringify({ 0: 20, 1: 20 }),
      20_000,
      'offsets 20',
    );
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('format.output.fields keeps keys, timestamps, null and repeated headers byte for byte, gzipped', async () => {
    const topic = uniqueName('s3-fields');
    await createTopic(topic, 1);
    // Written by the Java producer in zstd batches, with the headers real producers send.
    const records: JavaOutgoingRecord[] = Array.from({ length: 6 }, (_, i) => ({
      topic,
      compression: 'zstd',
      key: i === 2 ? null : Buffer.from([0, 255, i]),
      value: i === 4 ? Buffer.alloc(0) : Buffer.from(`v${i}\n{"not":"json"`),
      headers: trickyHeaders(i),
    }));
    await javaProduce(records);
    const name = uniqueName('s3-fields');
    await worker.createConnector(
      name,
      sinkConfig(topic, {
        ...BYTES,
        'flush.size': '3',
        'format.output.fields': 'key,value,headers,offset,partition,topic',
        'format.output.fields.value.encoding': 'base64',
        's3.compression.type': 'gzip',
      }),
    );
    const keys = await waitForKeys(`topics/${topic}/`, 2, 'two gzip objects');
    assert.deepEqual(keys, [
      `topics/${topic}/partition=0/${topic}+0+0000000000.json.gz`,
      `topics/${topic}/partition=0/${topic}+0+0000000003.json.gz`,
    ]);
    const lines = [
      ...(await bucket.text(keys[0]!)).split('\n'),
      ...(await bucket.text(keys[1]!)).split('\n'),
    ].filter((l) => l !== '');
    const b64 = (b: Buffer | null): string | null => (b === null ? null : b.toString('base64'));
    assert.deepEqual(
      lines.map((l) => JSON.parse(l) as unknown),
      records.map((r, i) => ({
        key: b64(r.key),
        value: b64(r.value),
        headers: r.headers.map((h) => ({ key: h.key, value: b64(h.value) })),
        offset: i,
        partition: 0,
        topic,
      })),
    );
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('timestamps are kept as epoch milliseconds', async () => {
    const topic = uniqueName('s3-ts');
    await createTopic(topic, 1);
    const times = [0, 1_700_000_000_123, 1_767_225_599_999]; // the broker refuses times far in the future
    await producer.send({
      topic,
      messages: times.map((t, i) => ({ partition: 0, value: JSON.stringify({ i }), timestamp: String(t) })),
    });
    const name = uniqueName('s3-ts');
    await worker.createConnector(
      name,
      sinkConfig(topic, { 'flush.size': '3', 'format.output.fields': 'value,timestamp' }),
    );
    const [key] = await waitForKeys(`topics/${topic}/`, 1, 'one object');
    assert.equal(
      await bucket.text(key!),
      times.map((t, i) => `{"value":{"i":${i}},"timestamp":${t}}\n`).join(''),
    );
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('an object above s3.part.size goes up as a multipart upload and reads back whole', async () => {
    const topic = uniqueName('s3-multipart');
    await createTopic(topic, 1);
    const count = 6_000;
    const pad = 'x'.repeat(1_000);
    for (let start = 0; start < count; start += 1_000)
      await producer.send({
        topic,
        messages: Array.from({ length: 1_000 }, (_, j) => ({
          partition: 0,
          value: JSON.stringify({ i: start + j, pad }),
        })),
      });
    const name = uniqueName('s3-multipart');
    await worker.createConnector(
      name,
      sinkConfig(topic, { 'flush.size': String(count), 's3.part.size': String(5 * 1024 * 1024) }),
    );
    // Wait for the object's own name, not any key under the prefix: under load S3Proxy once listed a key
    // there while the upload was completing that was gone when read (NoSuchKey).
    const key = `topics/${topic}/partition=0/${topic}+0+0000000000.json`;
    await waitFor(
      async () => (await bucket.keys(`topics/${topic}/`)).includes(key),
      45_000,
      'the multipart object',
    );
    const lines = (await bucket.text(key)).split('\n').filter((l) => l !== '');
    assert.equal(lines.length, count);
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { i: number }).i),
      Array.from({ length: count }, (_, i) => i),
    );
    assert.deepEqual(await bucket.openUploads(), [], 'no multipart upload left open');
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('deleting the connector mid-upload aborts its multipart upload: no partial object is left', async () => {
    const topic = uniqueName('s3-abort');
    await createTopic(topic, 1);
    const pad = 'y'.repeat(1_000);
    for (let start = 0; start < 8_000; start += 1_000)
      await producer.send({
        topic,
        messages: Array.from({ length: 1_000 }, (_, j) => ({
          partition: 0,
          value: JSON.stringify({ i: start + j, pad }),
        })),
      });
    const name = uniqueName('s3-abort');
    await worker.createConnector(
      name,
      sinkConfig(topic, { 'flush.size': '1000000', 's3.part.size': String(5 * 1024 * 1024) }),
    );
    await waitFor(
      async () => (await bucket.openUploads()).length > 0,
      45_000,
      'a multipart upload in flight',
    );
    await worker.rest('DELETE', `/connectors/${name}`);
    await waitFor(async () => (await bucket.openUploads()).length === 0, 20_000, 'the upload aborted');
    assert.deepEqual(await bucket.keys(`topics/${topic}/`), [], 'no object');
  });

  test("rotate.schedule.interval.ms lands a quiet partition's records without waiting for flush.size", async () => {
    const topic = uniqueName('s3-schedule');
    await createTopic(topic, 1);
    await producer.send({
      topic,
      messages: [0, 1, 2].map((i) => ({ partition: 0, value: JSON.stringify({ i }) })),
    });
    const name = uniqueName('s3-schedule');
    await worker.createConnector(
      name,
      sinkConfig(topic, { 'flush.size': '1000', 'rotate.schedule.interval.ms': '2000', timezone: 'UTC' }),
    );
    const [key] = await waitForKeys(`topics/${topic}/`, 1, 'the scheduled object');
    assert.equal(key, `topics/${topic}/partition=0/${topic}+0+0000000000.json`);
    assert.equal(await bucket.text(key!), '{"i":0}\n{"i":1}\n{"i":2}\n');
    await waitFor(async () => (await committed(name))[0] === 3, 20_000, 'offset 3 committed');
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('TimeBasedPartitioner: hourly directories of the record time, rotated on record time', async () => {
    const topic = uniqueName('s3-time');
    await createTopic(topic, 1);
    const base = Date.UTC(2026, 11, 4, 22, 50, 0);
    const minute = 60_000;
    // 22:50, 22:55, 23:00, 23:05, 23:31 (rotate: 30 min after 23:00), 23:59, 00:01 next day
    const times = [0, 5, 10, 15, 41, 69, 71].map((m) => base + m * minute);
    await producer.send({
      topic,
      messages: times.map((t, i) => ({ partition: 0, value: JSON.stringify({ i }), timestamp: String(t) })),
    });
    const name = uniqueName('s3-time');
    await worker.createConnector(
      name,
      sinkConfig(topic, {
        'flush.size': '1000',
        'rotate.interval.ms': String(30 * minute),
        'partitioner.class': 'io.confluent.connect.storage.partitioner.TimeBasedPartitioner',
        'path.format': "'year'=YYYY/'month'=MM/'day'=dd/'hour'=HH",
        'partition.duration.ms': '3600000',
        timezone: 'UTC',
        locale: 'en-US',
        'timestamp.extractor': 'Record',
      }),
    );
    // Batches by record time: [22:50 .. 23:05] (23:31 is 41 min after 22:50), [23:31, 23:59] (00:01 is 30 min after 23:31).
    const keys = await waitForKeys(`topics/${topic}/`, 3, 'three objects');
    const dir = `topics/${topic}/year=2026/month=12`;
    assert.deepEqual(keys, [
      `${dir}/day=04/hour=22/${topic}+0+0000000000.json`,
      `${dir}/day=04/hour=23/${topic}+0+0000000002.json`,
      `${dir}/day=04/hour=23/${topic}+0+0000000004.json`,
    ]);
    assert.equal(await bucket.text(keys[0]!), '{"i":0}\n{"i":1}\n');
    assert.equal(await bucket.text(keys[1]!), '{"i":2}\n{"i":3}\n');
    assert.equal(await bucket.text(keys[2]!), '{"i":4}\n{"i":5}\n');
    await waitFor(async () => (await committed(name))[0] === 6, 20_000, 'offset 6 committed');
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('a tombstone with behavior.on.null.values=fail goes to the dead letter queue; the rest is written', async () => {
    const topic = uniqueName('s3-dlq');
    const dlq = `${topic}-dlq`;
    await createTopic(topic, 1);
    await producer.send({
      topic,
      messages: [0, 1, 2, 3].map((i) => ({
        partition: 0,
        key: `k${i}`,
        value: i === 1 ? null : JSON.stringify({ i }),
      })),
    });
    const name = uniqueName('s3-dlq');
    await worker.createConnector(
      name,
      sinkConfig(topic, {
        'flush.size': '3',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      }),
    );
    const [key] = await waitForKeys(`topics/${topic}/`, 1, 'one object');
    assert.equal(key, `topics/${topic}/partition=0/${topic}+0+0000000000.json`);
    assert.equal(await bucket.text(key!), '{"i":0}\n{"i":2}\n{"i":3}\n');
    const dead = await readTopic(dlq, 1);
    assert.equal(dead[0]!.key?.toString(), 'k1');
    assert.match(dead[0]!.headers['__connect.errors.exception.message'] ?? '', /behavior\.on\.null\.values/);
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  const failures = [
    {
      what: 'a bucket that does not exist',
      code: 'S3_BUCKET_NOT_FOUND',
      settings: () => ({ 's3.bucket.name': `${bucket.name}-missing` }),
    },
    {
      what: 'a wrong secret key',
      code: 'S3_ACCESS_DENIED',
      settings: () => ({ 'aws.secret.access.key': 'wrong-secret' }),
    },
    {
      what: 'an endpoint nobody listens on',
      code: 'S3_UNREACHABLE',
      settings: () => ({ 'store.url': 'http://127.0.0.1:1' }),
    },
  ];
  for (const failure of failures)
    test(`${failure.what}: retried, then FAILED with ${failure.code}`, async () => {
      const topic = uniqueName('s3-fail');
      await createTopic(topic, 1);
      await producer.send({ topic, messages: [{ partition: 0, value: '{"i":1}' }] });
      const name = uniqueName('s3-fail');
      await worker.createConnector(
        name,
        sinkConfig(topic, {
          'flush.size': '1',
          'errors.retry.timeout': '1000',
          's3.part.retries': '0',
          ...failure.settings(),
        }),
      );
      const status = await worker.waitForTaskState(name, 'FAILED', 45_000).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; worker: ${worker.output.slice(-3000)}`);
      });
      const trace = status.tasks[0]?.trace ?? '';
      assert.match(trace, new RegExp(failure.code));
      assert.match(trace, /errors\.retry\.timeout=1000/);
      assert.doesNotMatch(trace, /wrong-secret/);
      assert.match(worker.output, /put failed with a retriable error/, 'retried before failing');
      await worker.rest('DELETE', `/connectors/${name}`);
    });

  test('invalid settings are refused with a 400 naming the key', async () => {
    const reply = await worker.rest<{ message: string }>('POST', '/connectors', {
      name: uniqueName('s3-bad'),
      config: sinkConfig('t', {
        'partitioner.class': 'TimeBasedPartitioner',
        'path.format': "'dt'=YYYY-MM-dd",
        'partition.duration.ms': '86400000',
        timezone: 'Mars/Olympus',
      }),
    });
    assert.equal(reply.status, 400);
    assert.match(reply.body.message, /timezone/);
    const noFlush = await worker.rest<{ message: string }>('POST', '/connectors', {
      name: uniqueName('s3-bad'),
      config: { ...sinkConfig('t'), 'flush.size': 'ten' },
    });
    assert.equal(noFlush.status, 400);
    assert.match(noFlush.body.message, /flush\.size/);
  });
});
