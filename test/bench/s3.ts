/**
 * s3: Kafka → S3Sink through a standalone worker started with the CLI, against a bare @aws-sdk/client-s3 loop
 * putting objects of exactly the sizes the sink wrote, one after another (the sink's task uploads its
 * partitions' objects one after another too). Sides alternate run by run, each into a fresh prefix.
 * Worker side: the bucket is listed every 250 ms; the clock starts when the first object is visible and stops
 * when all are, and only the objects completed after the first sighting count, so startup and the first
 * batch are left out. BENCH_S3_RECORDS (default 300000, 3 partitions), BENCH_S3_RECORD_BYTES (default 1000, JSON objects),
 * BENCH_S3_FLUSH_SIZE (default 10000), BENCH_S3_FORMATS (default json,bytes,parquet: JsonConverter → JsonFormat,
 * ByteArrayConverter → ByteArrayFormat, JsonConverter → ParquetFormat) and BENCH_RUNS
 * (default 3) size it. The source side (BENCH_S3_SOURCE=false skips it, BENCH_S3_SOURCE_RECORDS sizes it) is described
 * at benchSource. See docs/benchmarks.md.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Admin } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import {
  KAFKA_BOOTSTRAP,
  S3_ACCESS_KEY,
  S3_ENDPOINT,
  S3_REGION,
  S3_SECRET_KEY,
  s3ClientSettings,
} from '../support/endpoints.js';
import {
  freePort,
  outputOf,
  procStatusMb,
  sleep,
  SLUICE_BIN,
  spawnNode,
  terminate,
} from './support/child-process.js';
import { connectAdmin, createTopic, deleteTopic, RUN_ID } from './support/kafka-admin.js';
import { jsonRecord } from './support/json-records.js';
import { watchTopicFill } from './support/offset-watcher.js';
import { median, printResult } from './support/results.js';
import { benchDir, writeConnectorFile, writeWorkerFile } from './support/worker-files.js';

const BARE_WRITER = fileURLToPath(new URL('./support/bare-s3-writer.js', import.meta.url));
const BARE_PRODUCER = fileURLToPath(new URL('./support/bare-producer.js', import.meta.url));
const SOURCE_RECORDS = Number(process.env['BENCH_S3_SOURCE_RECORDS'] ?? 200_000);
const RECORDS = Number(process.env['BENCH_S3_RECORDS'] ?? 300_000);
const FLUSH_SIZE = Number(process.env['BENCH_S3_FLUSH_SIZE'] ?? 10_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const PARTITIONS = 3;
const RECORD_BYTES = Number(process.env['BENCH_S3_RECORD_BYTES'] ?? 1_000);
/** Per format: the connector settings (JSON in, JSON lines out; raw bytes; Parquet from schemaless JSON). */
const FORMAT_SETTINGS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  json: { 'format.class': 'io.confluent.connect.s3.format.json.JsonFormat' },
  bytes: {
    'format.class': 'io.confluent.connect.s3.format.bytearray.ByteArrayFormat',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
  },
  parquet: { 'format.class': 'io.confluent.connect.s3.format.parquet.ParquetFormat' },
};
const FORMATS = (process.env['BENCH_S3_FORMATS'] ?? 'json,bytes,parquet')
  .split(',')
  .filter((f) => f in FORMAT_SETTINGS);
const BUCKET = `bench-s3-${RUN_ID}`.toLowerCase();

interface Run {
  readonly seconds: number;
  readonly records: number;
  readonly bytes: number;
  readonly peakRssMb: number;
}

interface Listed {
  readonly key: string;
  readonly size: number;
}

async function list(client: S3Client, prefix: string): Promise<Listed[]> {
  const out: Listed[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({
        Bucket: BUCKET,
        Prefix: prefix,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const o of page.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0 });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

const NOTE = 'lorem ipsum dolor sit amet, consectetur adipiscing elit '.repeat(
  Math.max(0, Math.round((RECORD_BYTES - 200) / 57)),
);

function value(i: number): string {
  return JSON.stringify({
    id: i,
    name: `customer-${i % 9973}`,
    email: `user${i}@example.com`,
    qty: (i * 7) % 1000,
    price: ((i * 13) % 100_000) / 100,
    active: i % 3 === 0,
    note: NOTE,
    updated_at: 1_700_000_000_000 + i * 1000,
  });
}

async function runWorker(
  client: S3Client,
  topic: string,
  format: string,
  run: number,
): Promise<{ run: Run; sizes: number[] }> {
  const dir = benchDir('s3');
  const topicsDir = `sluice-${format}-${run}`;
  const workerFile = writeWorkerFile(dir, await freePort(), { 'offset.flush.interval.ms': '1000' });
  const connectorFile = writeConnectorFile(dir, `bench-s3-${RUN_ID}-${format}-${run}`, {
    'connector.class': 'S3Sink',
    'tasks.max': '1',
    topics: topic,
    's3.bucket.name': BUCKET,
    's3.region': S3_REGION,
    'store.url': S3_ENDPOINT,
    'aws.access.key.id': S3_ACCESS_KEY,
    'aws.secret.access.key': S3_SECRET_KEY,
    'topics.dir': topicsDir,
    ...FORMAT_SETTINGS[format],
    'flush.size': String(FLUSH_SIZE),
  });
  const expected = Math.floor(RECORDS / PARTITIONS / FLUSH_SIZE) * PARTITIONS;
  const profile = process.env['BENCH_CPU_PROF'];
  const child = spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile], {
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
  });
  try {
    let started = 0;
    let firstSeen = 0;
    let peakRssMb = 0;
    const deadline = Date.now() + 600_000;
    for (;;) {
      const objects = await list(client, `${topicsDir}/`);
      peakRssMb = Math.max(peakRssMb, procStatusMb(child.pid!, 'VmHWM'));
      if (objects.length > 0 && started === 0) {
        started = performance.now();
        firstSeen = objects.length;
      }
      if (objects.length >= expected) {
        const seconds = (performance.now() - started) / 1000;
        const sizes = objects.map((o) => o.size);
        const counted = objects.length - firstSeen;
        const bytes = (sizes.reduce((a, b) => a + b, 0) * counted) / objects.length;
        return { run: { seconds, records: counted * FLUSH_SIZE, bytes, peakRssMb }, sizes };
      }
      if (Date.now() > deadline)
        throw new Error(`the sink wrote ${objects.length} of ${expected} objects in 600 s`);
      await sleep(250);
    }
  } finally {
    await terminate(child);
  }
}

async function runBaseline(sizes: readonly number[], format: string, run: number): Promise<Run> {
  const sizesFile = join(benchDir('s3-bare'), 'sizes.json');
  writeFileSync(sizesFile, JSON.stringify(sizes));
  const child = spawnNode(
    BARE_WRITER,
    [
      JSON.stringify({
        endpoint: S3_ENDPOINT,
        region: S3_REGION,
        accessKeyId: S3_ACCESS_KEY,
        secretAccessKey: S3_SECRET_KEY,
        bucket: BUCKET,
        prefix: `bare-${format}-${run}/`,
        sizesFile,
      }),
    ],
    { captureStdout: true },
  );
  const result = JSON.parse(await outputOf(child, 600_000)) as {
    seconds: number;
    bytes: number;
    peakRssMb: number;
  };
  return { ...result, records: sizes.length * FLUSH_SIZE };
}

/**
 * The source side: objects in the sink's layout holding datagen-shaped records (`format.output.fields=key,value`,
 * 10,000 per object, one partition), read by S3Source into a topic with JsonConverter, against the bare kafkajs
 * producer of the source-path benchmark writing the same keys and values (batches of 1,000, acks=all). Both
 * timed from outside by the topic's end offsets.
 */
async function writeSourceObjects(client: S3Client, topic: string): Promise<void> {
  for (let start = 0; start < SOURCE_RECORDS; start += FLUSH_SIZE) {
    const lines: string[] = [];
    for (let seq = start; seq < Math.min(SOURCE_RECORDS, start + FLUSH_SIZE); seq++) {
      const r = jsonRecord(seq, RECORD_BYTES);
      lines.push(`{"key":${r.key},"value":${r.value}}`);
    }
    const key = `source/${topic}/partition=0/${topic}+0+${String(start).padStart(10, '0')}.json`;
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: lines.join('\n') + '\n' }));
  }
}

async function runSource(admin: Admin, topic: string, target: string): Promise<number> {
  await createTopic(admin, target, 1);
  const dir = benchDir('s3-source');
  const workerFile = writeWorkerFile(dir, await freePort());
  const connectorFile = writeConnectorFile(dir, `bench-s3-source-${target}`, {
    'connector.class': 'S3Source',
    'tasks.max': '1',
    topics: topic,
    's3.bucket.name': BUCKET,
    's3.region': S3_REGION,
    'store.url': S3_ENDPOINT,
    'aws.access.key.id': S3_ACCESS_KEY,
    'aws.secret.access.key': S3_SECRET_KEY,
    'topics.dir': 'source',
    'format.class': 'JsonFormat',
    'format.output.fields': 'key,value',
    'topic.regex': '.*',
    'topic.regex.replacement': target,
    'restore.partitions': 'false',
  });
  const child = spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile]);
  try {
    const timing = await watchTopicFill(admin, target, SOURCE_RECORDS, 600_000, () =>
      child.exitCode !== null ? `worker exited (${child.exitCode})` : null,
    );
    return (SOURCE_RECORDS - timing.recordsAtStart) / ((timing.reachedAt - timing.firstSeenAt) / 1000);
  } finally {
    await terminate(child);
    await deleteTopic(admin, target);
  }
}

async function runBareProducer(admin: Admin, target: string): Promise<number> {
  await createTopic(admin, target, 1);
  const child = spawnNode(
    BARE_PRODUCER,
    [
      JSON.stringify({
        bootstrap: KAFKA_BOOTSTRAP,
        topic: target,
        records: SOURCE_RECORDS,
        batchSize: 1_000,
        recordSizeBytes: RECORD_BYTES,
      }),
    ],
    { captureStdout: true },
  );
  const output = outputOf(child, 600_000);
  output.catch(() => undefined);
  try {
    const timing = await watchTopicFill(admin, target, SOURCE_RECORDS, 600_000, () =>
      child.exitCode !== null && child.exitCode !== 0 ? `exit code ${child.exitCode}` : null,
    );
    await output;
    return (SOURCE_RECORDS - timing.recordsAtStart) / ((timing.reachedAt - timing.firstSeenAt) / 1000);
  } finally {
    await deleteTopic(admin, target);
  }
}

async function benchSource(client: S3Client, admin: Admin): Promise<void> {
  const topic = `bench-s3-source-${RUN_ID}`;
  await writeSourceObjects(client, topic);
  const worker: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    bare.push(await runBareProducer(admin, `${topic}-bare-${run}`));
    worker.push(await runSource(admin, topic, `${topic}-out-${run}`));
  }
  printResult({
    name: 's3-source',
    records: SOURCE_RECORDS,
    recordBytes: RECORD_BYTES,
    recordsPerSec: Math.round(median(worker)),
    runsRecordsPerSec: worker.map(Math.round),
    baseline: { recordsPerSec: Math.round(median(bare)), runsRecordsPerSec: bare.map(Math.round) },
    ratio: Number((median(worker) / median(bare)).toFixed(3)),
  });
}

async function main(): Promise<void> {
  const client = new S3Client(s3ClientSettings());
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
  const { kafka, admin } = await connectAdmin();
  const topic = `bench-s3-${RUN_ID}`;
  try {
    await createTopic(admin, topic, PARTITIONS);
    const producer = kafka.producer();
    await producer.connect();
    for (let next = 0; next < RECORDS; next += 3000) {
      const messages = [];
      for (let i = next; i < Math.min(RECORDS, next + 3000); i++)
        messages.push({ partition: i % PARTITIONS, value: value(i) });
      await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
    }
    await producer.disconnect();
    for (const format of FORMATS) {
      const worker: Run[] = [];
      const baseline: Run[] = [];
      for (let run = 0; run < RUNS; run++) {
        const measured = await runWorker(client, topic, format, run);
        worker.push(measured.run);
        baseline.push(await runBaseline(measured.sizes, format, run));
      }
      const rate = (r: Run): number => r.records / r.seconds;
      const mbps = (r: Run): number => r.bytes / 1024 / 1024 / r.seconds;
      printResult({
        name: `s3-sink-${format}`,
        records: RECORDS,
        flushSize: FLUSH_SIZE,
        recordsPerSec: Math.round(median(worker.map(rate))),
        mbPerSec: Number(median(worker.map(mbps)).toFixed(2)),
        runsRecordsPerSec: worker.map((r) => Math.round(rate(r))),
        peakRssMb: Math.round(Math.max(...worker.map((r) => r.peakRssMb))),
        baseline: {
          mbPerSec: Number(median(baseline.map(mbps)).toFixed(2)),
          runsMbPerSec: baseline.map((r) => Number(mbps(r).toFixed(2))),
          peakRssMb: Math.round(Math.max(...baseline.map((r) => r.peakRssMb))),
        },
        ratio: Number((median(worker.map(mbps)) / median(baseline.map(mbps))).toFixed(3)),
      });
    }
    if (process.env['BENCH_S3_SOURCE'] !== 'false') await benchSource(client, admin);
  } finally {
    await deleteTopic(admin, topic);
    await admin.disconnect();
    client.destroy();
  }
}

await main();
