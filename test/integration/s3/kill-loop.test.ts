// Issue 14's exactly-once proof for the S3 sink: 200k records over 6 partitions are produced while the
// worker running the sink is killed with kill -9 ten times at random moments (mid-batch, mid-upload, right
// after an upload before its offsets were committed). Afterwards every offset is in exactly one object, and
// the object names and contents are exactly those a clean run writes (computed here from what was produced).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Producer } from 'kafkajs';
import { kafkaBrokers } from '../../support/endpoints.js';
import { createTopic } from '../../support/kafka-test-client.js';
import { TestBucket } from '../../support/s3-bucket.js';
import { seededRandom } from '../../support/seeded-random.js';
import { sleep, uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

const PARTITIONS = 6;
const PER_PARTITION = Number(process.env['SLUICE_S3_KILL_RECORDS_PER_PARTITION'] ?? 34_000);
const FLUSH_SIZE = 1_000;
const KILLS = 10;
/** Records per partition per send: not a multiple of flush.size, so most kills find a half-full batch. */
const CHUNK = 777;

let bucket: TestBucket;
let worker: WorkerProcess;
let producer: Producer;

function value(partition: number, i: number): string {
  return JSON.stringify({ p: partition, i, note: i % 7 === 0 ? 'ünïcødé "quoted"' : `n${i % 100}` });
}

before(async () => {
  bucket = await TestBucket.create('s3-kill');
  const kafka = new Kafka({ clientId: 's3-kill-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
  worker = await WorkerProcess.start({ properties: { 'offset.flush.interval.ms': '300' } });
});

after(async () => {
  await worker?.dispose();
  await producer?.disconnect().catch(() => undefined);
  await bucket?.drop();
});

/** Produces every partition's records in chunks, round robin, so all partitions grow while the kills happen. */
async function produceAll(topic: string): Promise<void> {
  for (let start = 0; start < PER_PARTITION; start += CHUNK) {
    const messages = [];
    for (let partition = 0; partition < PARTITIONS; partition++)
      for (let i = start; i < Math.min(start + CHUNK, PER_PARTITION); i++)
        messages.push({ partition, key: `k${i}`, value: value(partition, i) });
    await producer.send({ topic, acks: -1, messages });
    await sleep(500);
  }
}

test(
  'kill -9 ten times while writing: every offset in exactly one object, names and bytes as a clean run',
  { timeout: 600_000 },
  async () => {
    const topic = uniqueName('s3-kill');
    await createTopic(topic, PARTITIONS);
    const name = uniqueName('s3-kill');
    await worker.createConnector(name, {
      'connector.class': 'S3Sink',
      'tasks.max': '2',
      topics: topic,
      ...bucket.connectorSettings(),
      'format.class': 'JsonFormat',
      'flush.size': String(FLUSH_SIZE),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'consumer.override.max.poll.records': '700',
    });
    const producing = produceAll(topic);
    const random = seededRandom(14);
    for (let kill = 0; kill < KILLS; kill++) {
      await sleep(1_500 + Math.floor(random() * 3_000));
      await worker.kill9();
      await worker.start();
    }
    await producing;

    const expectedKeys: string[] = [];
    for (let partition = 0; partition < PARTITIONS; partition++)
      for (let start = 0; start < PER_PARTITION; start += FLUSH_SIZE)
        expectedKeys.push(
          `topics/${topic}/partition=${partition}/${topic}+${partition}+${String(start).padStart(10, '0')}.json`,
        );
    expectedKeys.sort();
    // Done when every record's offset is committed: the sink commits an offset only once its object is in S3.
    let offsets: number[] = [];
    await waitFor(
      async () => {
        const reply = await worker.rest<{
          offsets: { partition: { kafka_partition: number }; offset: { kafka_offset: number } }[];
        }>('GET', `/connectors/${name}/offsets`);
        offsets = reply.body.offsets.map((o) => o.offset.kafka_offset);
        return offsets.length === PARTITIONS && offsets.every((o) => o === PER_PARTITION);
      },
      240_000,
      'every offset committed',
    ).catch((error: unknown) => {
      throw new Error(
        `${(error as Error).message}: ${JSON.stringify(offsets)}; worker: ${worker.output.slice(-2000)}`,
      );
    });
    const keys = await bucket.keys(`topics/${topic}/`);
    assert.deepEqual(keys, expectedKeys, 'exactly the object names a clean run writes');
    for (const key of keys) {
      const match = /partition=(\d+)\/.*\+(\d+)\.json$/.exec(key)!;
      const partition = Number(match[1]);
      const start = Number(match[2]);
      const expected = Array.from({ length: FLUSH_SIZE }, (_, j) => value(partition, start + j) + '\n').join(
        '',
      );
      const text = await bucket.text(key);
      assert.ok(text === expected, `${key} holds exactly offsets ${start}..${start + FLUSH_SIZE - 1}`);
    }
    assert.deepEqual(await bucket.openUploads(), [], 'no multipart upload left open');
    assert.ok(
      worker.output.split('listening on').length - 1 >= KILLS + 1,
      'the worker was restarted after every kill',
    );
  },
);
