// Issue 20's exactly-once proof for FileStreamSink: 30k records over 3 partitions are consumed by a
// standalone worker (two sink tasks appending to one file) that is killed with kill -9 ten times, each time
// while it is appending, and restarted. Lines appended after the last committed state are cut off on start
// and consumed again from the committed offsets, so afterwards the file holds every record exactly once, in
// offset order within each partition.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import { kafkaBrokers } from '../../support/endpoints.js';
import { createTopic } from '../../support/kafka-test-client.js';
import { seededRandom } from '../../support/seeded-random.js';
import {
  makeTempDir,
  removeTempDir,
  sleep,
  uniqueName,
  waitFor,
  WorkerProcess,
} from '../../support/worker-process.js';

const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

const PARTITIONS = 3;
const PER_PARTITION = 10_000;
const KILLS = 10;
const PREFILL = 4_000;
/** The rest arrives in chunks while the worker is being killed, about one chunk per second. */
const CHUNK = 120;
const CHUNK_EVERY_MS = 1_000;

let dir: string;
let worker: WorkerProcess;
let producer: Producer;

before(async () => {
  dir = await makeTempDir('file-eos');
  const kafka = new Kafka({
    clientId: 'file-kill-test',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  });
  producer = kafka.producer();
  await producer.connect();
  worker = await WorkerProcess.create({
    properties: {
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.flush.interval.ms': '300',
    },
  });
});

after(async () => {
  await worker?.dispose();
  await producer?.disconnect().catch(() => undefined);
  if (dir) await removeTempDir(dir);
});

async function produceRange(topic: string, from: number, to: number, chunk = to - from): Promise<void> {
  for (let start = from; start < to; start += chunk) {
    const messages = [];
    for (let p = 0; p < PARTITIONS; p++)
      for (let i = start; i < Math.min(start + chunk, to); i++)
        messages.push({ partition: p, key: null, value: `p${p}-${i}` });
    await producer.send({ topic, acks: -1, messages });
    if (start + chunk < to) await sleep(CHUNK_EVERY_MS);
  }
}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => ({ size: 0 }))).size;
}

async function lines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => '')).split('\n').filter((l) => l !== '');
}

test(
  'kill -9 ten times while appending: every record exactly once, in order per partition',
  { timeout: 240_000 },
  async () => {
    const started = Date.now();
    const topic = uniqueName('file-eos');
    const file = join(dir, 'out.txt');
    await createTopic(topic, PARTITIONS);
    await produceRange(topic, 0, PREFILL);
    await worker.start();
    await worker.createConnector(uniqueName('file-eos'), {
      'connector.class': 'FileStreamSink',
      'tasks.max': '2',
      topics: topic,
      file,
      'consumer.override.session.timeout.ms': '6000',
    });
    let produced = false;
    const producing = produceRange(topic, PREFILL, PER_PARTITION, CHUNK).then(() => (produced = true));
    const total = PARTITIONS * PER_PARTITION;
    const random = seededRandom(2020);
    for (let kill = 0; kill < KILLS; kill++) {
      // Kill while the sink appends: once the file grew since the (re)start, at a random moment.
      const before = await sizeOf(file);
      // (Once everything was produced and written, there is nothing left to interrupt: kill anyway.)
      const progressed = async (): Promise<boolean> =>
        (await sizeOf(file)) > before || (produced && (await lines(file)).length >= total);
      await waitFor(progressed, 60_000, `progress after restart ${kill}`).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}; worker: ${worker.output.slice(-3000)}`);
      });
      await sleep(Math.floor(random() * 1_000));
      await worker.kill9();
      await worker.start();
    }
    await producing;

    await waitFor(async () => (await lines(file)).length >= total, 90_000, 'every record in the file').catch(
      async (error: unknown) => {
        throw new Error(
          `${(error as Error).message}: ${(await lines(file)).length} of ${total}; worker: ${worker.output.slice(-2000)}`,
        );
      },
    );
    await sleep(1_500);
    const written = await lines(file);
    const perPartition = Array.from({ length: PARTITIONS }, () => [] as number[]);
    for (const line of written) {
      const match = /^p(\d+)-(\d+)$/.exec(line);
      assert.ok(match, `a whole line: ${line}`);
      perPartition[Number(match[1])]!.push(Number(match[2]));
    }
    for (let p = 0; p < PARTITIONS; p++) {
      const seen = perPartition[p]!;
      const duplicates = seen.length - new Set(seen).size;
      assert.equal(duplicates, 0, `partition ${p}: no record twice`);
      assert.deepEqual(
        seen,
        Array.from({ length: PER_PARTITION }, (_, i) => i),
        `partition ${p}: every record once, in offset order`,
      );
    }
    assert.equal(written.length, total);
    assert.ok(
      worker.output.split('listening on').length - 1 >= KILLS + 1,
      'the worker was restarted after every kill',
    );
    console.log(`file sink kill loop: ${total} records, ${KILLS} kills, ${Date.now() - started} ms`);
  },
);
