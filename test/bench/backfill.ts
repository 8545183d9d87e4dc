/**
 * backfill: the `backfill` job (PostgreSQL table → Kafka, through a standalone worker with jobs on Redis)
 * against a bare `pg` cursor feeding a bare kafkajs producer, same table, same topic settings. Reported, not
 * gated: a job pays for checkpoints in Redis after every page. See docs/benchmarks.md.
 */
import type { Admin } from 'kafkajs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { KAFKA_BOOTSTRAP, PG_URL, REDIS_URL } from '../support/endpoints.js';
import {
  collectStderr,
  freePort,
  outputOf,
  procStatusMb,
  SLUICE_BIN,
  spawnNode,
  terminate,
} from './support/child-process.js';
import { connectAdmin, createTopic, deleteTopic, RUN_ID } from './support/kafka-admin.js';
import { watchTopicFill } from './support/offset-watcher.js';
import { printResult, roundTo, summarize, type RunMeasurement } from './support/results.js';
import { BENCH_PARTITIONS, BENCH_RUNS } from './support/settings.js';
import { benchDir, writeWorkerFile } from './support/worker-files.js';

const BARE_PG_CURSOR = fileURLToPath(new URL('./support/bare-pg-cursor.js', import.meta.url));
const ROWS = Number(process.env['BENCH_BACKFILL_ROWS'] ?? 200_000);
const FETCH_SIZE = 1_000;
const CHUNK_SIZE = 50_000;
const RUN_TIMEOUT_MS = 300_000;
const table = `bench_backfill_${RUN_ID.replace(/-/g, '_')}`;

function measured(
  timing: { recordsAtStart: number; firstSeenAt: number; reachedAt: number },
  peakRssMb: number,
  bytesPerRecord: number,
): RunMeasurement {
  const records = ROWS - timing.recordsAtStart;
  return {
    records,
    seconds: (timing.reachedAt - timing.firstSeenAt) / 1000,
    bytes: records * bytesPerRecord,
    peakRssMb,
  };
}

async function runBaseline(admin: Admin, topic: string): Promise<RunMeasurement> {
  await createTopic(admin, topic, BENCH_PARTITIONS);
  const child = spawnNode(
    BARE_PG_CURSOR,
    [JSON.stringify({ pgUrl: PG_URL, table, bootstrap: KAFKA_BOOTSTRAP, topic, fetchSize: FETCH_SIZE })],
    { captureStdout: true },
  );
  const output = outputOf(child, RUN_TIMEOUT_MS);
  output.catch(() => undefined);
  try {
    const timing = await watchTopicFill(admin, topic, ROWS, RUN_TIMEOUT_MS, () =>
      child.exitCode !== null && child.exitCode !== 0 ? `exit code ${child.exitCode}` : null,
    );
    const { peakRssMb } = JSON.parse(await output) as { peakRssMb: number };
    return measured(timing, peakRssMb, await bytesPerRecord(topic));
  } finally {
    await deleteTopic(admin, topic);
  }
}

async function runJob(admin: Admin, topicPrefix: string): Promise<RunMeasurement> {
  const topic = `${topicPrefix}.public.${table}`;
  await createTopic(admin, topic, BENCH_PARTITIONS);
  const dir = benchDir('backfill');
  const port = await freePort();
  const workerFile = writeWorkerFile(dir, port, {
    'redis.url': REDIS_URL,
    'jobs.queue.prefix': `bench-${RUN_ID}-${topicPrefix}`,
  });
  const child = spawnNode(SLUICE_BIN, ['standalone', workerFile]);
  const stderr = collectStderr(child);
  try {
    const url = new URL(PG_URL);
    for (let attempt = 0; ; attempt++) {
      const reply = await fetch(`http://127.0.0.1:${port}/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          type: 'backfill',
          config: {
            'database.hostname': url.hostname,
            'database.port': url.port || '5432',
            'database.user': decodeURIComponent(url.username),
            'database.dbname': url.pathname.slice(1),
            'topic.prefix': topicPrefix,
            table: `public.${table}`,
            'chunk.size': String(CHUNK_SIZE),
            'fetch.size': String(FETCH_SIZE),
          },
        }),
      }).catch(() => null);
      if (reply !== null && reply.status === 202) break;
      if (reply !== null && reply.status !== 503)
        throw new Error(`POST /jobs: ${reply.status} ${await reply.text()}`);
      if (attempt > 200) throw new Error(`the worker did not start: ${stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const timing = await watchTopicFill(admin, topic, ROWS, RUN_TIMEOUT_MS, () =>
      child.exitCode !== null ? `worker exited (${child.exitCode}): ${stderr()}` : null,
    );
    const peakRssMb = procStatusMb(child.pid!, 'VmHWM');
    return measured(timing, peakRssMb, await bytesPerRecord(topic));
  } finally {
    await terminate(child);
    await deleteTopic(admin, topic);
  }
}

/** Key plus value bytes of the topic's first record (every record has the same shape, give or take digits). */
async function bytesPerRecord(topic: string): Promise<number> {
  const { Kafka, logLevel } = await import('kafkajs');
  const kafka = new Kafka({ brokers: KAFKA_BOOTSTRAP.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `bench-sample-${RUN_ID}-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const size = await new Promise<number>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => resolve((message.key?.length ?? 0) + (message.value?.length ?? 0)),
    });
  });
  await consumer.disconnect();
  return size;
}

const db = new pg.Client({ connectionString: PG_URL });
await db.connect();
await db.query(
  `CREATE TABLE ${table} (id int PRIMARY KEY, name text, qty int, price numeric(12,2), updated_at timestamptz)`,
);
await db.query(
  `INSERT INTO ${table} SELECT g, 'name-' || g || '-' || repeat('x', g % 50), (g * 7919) % 100000, (g % 10000) + (g % 100) / 100.0, timestamptz '2026-01-01' + g * interval '1 second' FROM generate_series(1, ${ROWS}) g`,
);
await db.query(`ANALYZE ${table}`);
const { admin } = await connectAdmin();
try {
  const baseline: RunMeasurement[] = [];
  const job: RunMeasurement[] = [];
  for (let i = 0; i < BENCH_RUNS; i++) {
    baseline.push(await runBaseline(admin, `bench-backfill-bare-${RUN_ID}-${i}`));
    job.push(await runJob(admin, `bench-backfill-${RUN_ID}-${i}`));
  }
  const jobSummary = summarize(job);
  const baselineSummary = summarize(baseline);
  printResult({
    name: 'backfill',
    ...jobSummary,
    baseline: baselineSummary,
    ratio: roundTo(jobSummary.recordsPerSec / baselineSummary.recordsPerSec, 3),
    settings: {
      rows: ROWS,
      fetchSize: FETCH_SIZE,
      chunkSize: CHUNK_SIZE,
      jobsConcurrency: 2,
      partitions: BENCH_PARTITIONS,
      acks: 'all',
      compression: 'none',
      converter: 'JsonConverter schemas.enable=false',
      runsPerSide: BENCH_RUNS,
    },
  });
} finally {
  await admin.disconnect();
  await db.query(`DROP TABLE IF EXISTS ${table}`);
  await db.end();
}
