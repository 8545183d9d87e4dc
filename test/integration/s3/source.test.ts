// S3Source reading back what S3Sink wrote. The round trip: 100k records with keys, headers (null, empty and
// repeated ones from the Java producer; repeated ones from kafkajs) and timestamps over 4 partitions go
// through the sink to S3 and back through the source into a new topic, which must equal the original per
// partition: keys, values, headers in order and timestamps. SLUICE_S3_ROUNDTRIP_RECORDS sizes it (default
// 100,000). Also: a restart in the middle resumes exactly where it stopped, renames with
// topic.regex.replacement, start.time/end.time, and an object that cannot be decoded fails the task naming it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Kafka as KafkaClient, Producer } from 'kafkajs';
import { kafkaBrokers } from '../../support/endpoints.js';
import {
  javaConsume,
  javaProduce,
  type JavaConsumedRecord,
  type JavaOutgoingRecord,
} from '../../support/java-kafka-client.js';
import { createTopic, topicSize } from '../../support/kafka-test-client.js';
import { TestBucket } from '../../support/s3-bucket.js';
import { trickyHeaders } from '../../support/tricky-headers.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

const RECORDS = Number(process.env['SLUICE_S3_ROUNDTRIP_RECORDS'] ?? 100_000);
const PARTITIONS = 4;
const JAVA_RECORDS = 1_000;
const FLUSH_SIZE = 1_000;

let bucket: TestBucket;
let worker: WorkerProcess;
let kafka: KafkaClient;
let producer: Producer;

const BYTES = {
  'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
};
const STORED_FIELDS = {
  'format.class': 'JsonFormat',
  'format.output.fields': 'key,value,timestamp,headers',
  'format.output.fields.value.encoding': 'base64',
};

function sourceConfig(topic: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': 'io.confluent.connect.s3.source.S3SourceConnector',
    'tasks.max': '2',
    topics: topic,
    ...bucket.connectorSettings(),
    ...STORED_FIELDS,
    ...BYTES,
    's3.poll.interval.ms': '1000',
    ...extra,
  };
}

async function sinkAll(topic: string, expectedPerPartition: Record<number, number>): Promise<void> {
  const name = uniqueName('s3-rt-sink');
  await worker.createConnector(name, {
    'connector.class': 'S3Sink',
    'tasks.max': '1',
    topics: topic,
    ...bucket.connectorSettings(),
    ...STORED_FIELDS,
    ...BYTES,
    'flush.size': String(FLUSH_SIZE),
    'behavior.on.null.values': 'write',
  });
  await waitFor(
    async () => {
      const reply = await worker.rest<{
        offsets: { partition: { kafka_partition: number }; offset: { kafka_offset: number } }[];
      }>('GET', `/connectors/${name}/offsets`);
      const got = Object.fromEntries(
        reply.body.offsets.map((o) => [o.partition.kafka_partition, o.offset.kafka_offset]),
      );
      return Object.entries(expectedPerPartition).every(([p, n]) => got[Number(p)] === n);
    },
    180_000,
    'the sink to commit every record',
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; worker: ${worker.output.slice(-2000)}`);
  });
  await worker.rest('DELETE', `/connectors/${name}`);
}

interface Timed {
  partition: number;
  offset: number;
  timestamp: string;
}

/** Partition, offset and timestamp of every record (kafkajs; the Java tool does not print timestamps). */
async function timestamps(topic: string, count: number): Promise<Timed[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('s3-rt-reader') });
  const seen: Timed[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages)
        seen.push({ partition: batch.partition, offset: Number(m.offset), timestamp: m.timestamp });
    },
  });
  await waitFor(async () => seen.length >= count, 120_000, `${count} timestamps of ${topic}`);
  await consumer.disconnect();
  return seen.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

function byPartition(records: readonly JavaConsumedRecord[]): Map<number, JavaConsumedRecord[]> {
  const out = new Map<number, JavaConsumedRecord[]>();
  for (const r of [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
    if (!out.has(r.partition)) out.set(r.partition, []);
    out.get(r.partition)!.push(r);
  }
  return out;
}

const view = (r: JavaConsumedRecord) => ({
  key: r.key?.toString('base64') ?? null,
  value: r.value?.toString('base64') ?? null,
  headers: r.headers.map((h) => [h.key, h.value?.toString('base64') ?? null]),
});

before(async () => {
  bucket = await TestBucket.create('s3-source');
  kafka = new Kafka({ clientId: 's3-source-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
  worker = await WorkerProcess.start({ properties: { 'offset.flush.interval.ms': '500' } });
});

after(async () => {
  await worker?.dispose();
  await producer?.disconnect().catch(() => undefined);
  await bucket?.drop();
});

describe('S3 source', { timeout: 600_000 }, () => {
  let topic: string;
  let total: number;

  test(`round trip: ${RECORDS} records through S3 equal the original per partition (keys, values, headers, timestamps)`, async () => {
    topic = uniqueName('s3-rt');
    await createTopic(topic, PARTITIONS);
    // The Java producer's records first (partition 0): null, empty and repeated headers. gzip, because the
    // kafkajs reader that checks timestamps has no zstd codec.
    const javaRecords: JavaOutgoingRecord[] = Array.from({ length: JAVA_RECORDS }, (_, i) => ({
      topic,
      compression: 'gzip',
      key: i % 10 === 0 ? null : Buffer.from(`java-${i}`),
      value: i % 17 === 0 ? null : Buffer.from([0, 1, 2, 255, i % 256]),
      headers: trickyHeaders(i),
    }));
    await javaProduce(javaRecords);
    const base = Date.UTC(2026, 0, 1);
    for (let start = 0; start < RECORDS; start += 5_000) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: Math.min(5_000, RECORDS - start) }, (_, j) => {
          const i = start + j;
          return {
            partition: i % PARTITIONS,
            key: `key-${i}`,
            value: JSON.stringify({ i, text: 'ünïcødé\n"quoted"' }),
            timestamp: String(base + i * 37),
            headers: { trace: `t-${i}`, tag: i % 5 === 0 ? ['a', 'b'] : 'c' },
          };
        }),
      });
    }
    total = RECORDS + JAVA_RECORDS;
    const perPartition: Record<number, number> = {};
    for (let p = 0; p < PARTITIONS; p++)
      perPartition[p] = RECORDS / PARTITIONS + (p === 0 ? JAVA_RECORDS : 0);
    await sinkAll(topic, perPartition);

    const target = `restored-${topic}`;
    await createTopic(target, PARTITIONS);
    const name = uniqueName('s3-rt-source');
    await worker.createConnector(
      name,
      sourceConfig(topic, { 'topic.regex': '(.*)', 'topic.regex.replacement': 'restored-$1' }),
    );
    await waitFor(async () => (await topicSize(target)) >= total, 240_000, `${total} records in ${target}`);
    assert.equal(await topicSize(target), total, 'no record twice');

    const [original, restored] = [
      byPartition(await javaConsume([topic], total, 120_000)),
      byPartition(await javaConsume([target], total, 120_000)),
    ];
    for (let p = 0; p < PARTITIONS; p++) {
      const a = original.get(p)!.map(view);
      const b = restored.get(p)!.map(view);
      assert.equal(b.length, a.length, `partition ${p} count`);
      for (let i = 0; i < a.length; i++) assert.deepEqual(b[i], a[i], `partition ${p}, record ${i}`);
    }
    const [ta, tb] = [await timestamps(topic, total), await timestamps(target, total)];
    assert.deepEqual(
      tb.map((t) => [t.partition, t.timestamp]),
      ta.map((t) => [t.partition, t.timestamp]),
      'timestamps per partition',
    );
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('a worker restart in the middle resumes where the source stopped: nothing twice, nothing missing', async () => {
    const target = `resumed-${topic}`;
    await createTopic(target, PARTITIONS);
    const name = uniqueName('s3-resume');
    await worker.createConnector(
      name,
      sourceConfig(topic, { 'topic.regex.replacement': 'resumed-$1', 'batch.max.records': '200' }),
    );
    await waitFor(async () => (await topicSize(target)) > 0, 120_000, 'the copy started');
    await worker.terminate();
    const copiedBeforeRestart = await topicSize(target);
    assert.ok(copiedBeforeRestart < total, `stopped in the middle (${copiedBeforeRestart} of ${total})`);
    await worker.start();
    await waitFor(async () => (await topicSize(target)) >= total, 240_000, 'all copied');
    assert.equal(await topicSize(target), total, 'no record twice after the restart');
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('start.time and end.time select records by timestamp', async () => {
    const target = `window-${topic}`;
    await createTopic(target, PARTITIONS);
    const base = Date.UTC(2026, 0, 1);
    const from = base + 1_000 * 37;
    const to = base + 3_000 * 37;
    const name = uniqueName('s3-window');
    await worker.createConnector(
      name,
      sourceConfig(topic, {
        'topic.regex.replacement': 'window-$1',
        'start.time': new Date(from).toISOString(),
        'end.time': String(to),
      }),
    );
    // Records i in [1000, 3000) have timestamps in the window; the Java records carry the current time.
    await waitFor(async () => (await topicSize(target)) >= 2_000, 120_000, 'the window copied');
    await new Promise((r) => setTimeout(r, 3_000));
    assert.equal(await topicSize(target), 2_000, 'only the records inside the window');
    await worker.rest('DELETE', `/connectors/${name}`);
  });

  test('an object that cannot be decoded fails the task with S3_OBJECT_UNREADABLE naming the key', async () => {
    const broken = uniqueName('s3-broken');
    const key = `topics/${broken}/partition=0/${broken}+0+0000000000.json`;
    await bucket.put(key, '{"key":null,"value":"AAE=","timestamp":1}\n{this is not json\n');
    const name = uniqueName('s3-broken');
    await worker.createConnector(name, sourceConfig(broken, { 'tasks.max': '1' }));
    const status = await worker.waitForTaskState(name, 'FAILED', 45_000);
    const trace = status.tasks[0]?.trace ?? '';
    assert.match(trace, /S3_OBJECT_UNREADABLE/);
    assert.ok(trace.includes(key), trace.slice(0, 300));
    await worker.rest('DELETE', `/connectors/${name}`);
  });
});
