/**
 * cassandra: Kafka → CassandraSink through a standalone worker started with the CLI, against a bare
 * cassandra-driver `executeConcurrent` loop writing the same rows at the same concurrency (500, the sink's
 * maxConcurrentRequests default). Sides alternate run by run, each on a fresh table.
 * Worker side: the clock starts when the first row is visible (`SELECT count(*)` every 250 ms) and stops when
 * all rows are there, so polling can only make the worker look slower. Baseline: timed inside its process.
 * BENCH_CASSANDRA_ROWS (default 100000) and BENCH_RUNS (default 3) size it. See docs/benchmarks.md.
 */
import { fileURLToPath } from 'node:url';
import cassandra from 'cassandra-driver';
import { CompressionTypes, Partitioners } from 'kafkajs';
import { CASSANDRA_LOCAL_DC, cassandraContactPoints, cassandraSinkConnection } from '../support/endpoints.js';
import { benchRow } from './support/cassandra-rows.js';
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
import { median, printResult } from './support/results.js';
import { benchDir, writeConnectorFile, writeWorkerFile } from './support/worker-files.js';

const BARE_WRITER = fileURLToPath(new URL('./support/bare-cassandra-writer.js', import.meta.url));
const ROWS = Number(process.env['BENCH_CASSANDRA_ROWS'] ?? 100_000);
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const CONCURRENCY = 500;
const KEYSPACE = `bench_cass_${RUN_ID.replace(/[^a-z0-9]/gi, '_')}`;

interface Run {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly p99Ms?: number | null;
}

async function countRows(client: cassandra.Client, table: string): Promise<number> {
  const result = await client.execute(`SELECT count(*) AS n FROM ${KEYSPACE}.${table}`, [], {
    readTimeout: 60_000,
  });
  return Number(result.rows[0]!['n']);
}

async function freshTable(client: cassandra.Client, table: string): Promise<void> {
  await client.execute(`DROP TABLE IF EXISTS ${KEYSPACE}.${table}`);
  await client.execute(
    `CREATE TABLE ${KEYSPACE}.${table} (id int PRIMARY KEY, name text, qty int, price decimal, updated_at timestamp)`,
  );
}

async function runBaseline(client: cassandra.Client): Promise<Run> {
  await freshTable(client, 'rows');
  const child = spawnNode(
    BARE_WRITER,
    [
      JSON.stringify({
        contactPoints: cassandraContactPoints(),
        localDc: CASSANDRA_LOCAL_DC,
        keyspace: KEYSPACE,
        rows: ROWS,
        concurrency: CONCURRENCY,
      }),
    ],
    { captureStdout: true },
  );
  const result = JSON.parse(await outputOf(child, 600_000)) as Run;
  const written = await countRows(client, 'rows');
  if (written !== ROWS) throw new Error(`baseline wrote ${written} of ${ROWS} rows`);
  return result;
}

async function runWorker(client: cassandra.Client, topic: string, run: number): Promise<Run> {
  await freshTable(client, 'rows');
  const dir = benchDir('cassandra');
  const workerFile = writeWorkerFile(dir, await freePort(), { 'offset.flush.interval.ms': '1000' });
  const connectorFile = writeConnectorFile(dir, `bench-cassandra-${RUN_ID}-${run}`, {
    'connector.class': 'CassandraSink',
    'tasks.max': '1',
    topics: topic,
    ...cassandraSinkConnection(),
    maxConcurrentRequests: String(CONCURRENCY),
    [`topic.${topic}.${KEYSPACE}.rows.mapping`]:
      'id=key.id, name=value.name, qty=value.qty, price=value.price, updated_at=value.updated_at',
  });
  // BENCH_CPU_PROF=<dir>: the worker runs with `node --cpu-prof`, one .cpuprofile per run in <dir>.
  const profile = process.env['BENCH_CPU_PROF'];
  const child = spawnNode(SLUICE_BIN, ['standalone', workerFile, connectorFile], {
    nodeArgs: profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
  });
  try {
    let started = 0;
    let peakRssMb = 0;
    const deadline = Date.now() + 600_000;
    for (;;) {
      const count = await countRows(client, 'rows');
      peakRssMb = Math.max(peakRssMb, procStatusMb(child.pid!, 'VmHWM'));
      if (count > 0 && started === 0) started = performance.now();
      if (count >= ROWS) break;
      if (Date.now() > deadline) throw new Error(`the sink wrote ${count} of ${ROWS} rows in 600 s`);
      await sleep(250);
    }
    return { seconds: (performance.now() - started) / 1000, peakRssMb };
  } finally {
    await terminate(child);
  }
}

async function main(): Promise<void> {
  const client = new cassandra.Client({
    contactPoints: cassandraContactPoints(),
    localDataCenter: CASSANDRA_LOCAL_DC,
  });
  await client.connect();
  await client.execute(
    `CREATE KEYSPACE IF NOT EXISTS ${KEYSPACE} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`,
  );
  const { kafka, admin } = await connectAdmin();
  const topic = `bench-cassandra-${RUN_ID}`;
  try {
    await createTopic(admin, topic, 3);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    for (let next = 0; next < ROWS; next += 1000) {
      const messages = [];
      for (let i = next; i < Math.min(ROWS, next + 1000); i++) {
        const row = benchRow(i);
        messages.push({ key: JSON.stringify({ id: row.id }), value: JSON.stringify(row) });
      }
      await producer.send({ topic, messages, acks: -1, compression: CompressionTypes.None });
    }
    await producer.disconnect();
    const baseline: Run[] = [];
    const worker: Run[] = [];
    for (let run = 0; run < RUNS; run++) {
      baseline.push(await runBaseline(client));
      worker.push(await runWorker(client, topic, run));
    }
    const rate = (r: Run): number => ROWS / r.seconds;
    printResult({
      name: 'cassandra',
      records: ROWS,
      concurrency: CONCURRENCY,
      recordsPerSec: Math.round(median(worker.map(rate))),
      runsRecordsPerSec: worker.map((r) => Math.round(rate(r))),
      peakRssMb: Math.round(Math.max(...worker.map((r) => r.peakRssMb))),
      baseline: {
        recordsPerSec: Math.round(median(baseline.map(rate))),
        runsRecordsPerSec: baseline.map((r) => Math.round(rate(r))),
        p99Ms: Number(median(baseline.map((r) => r.p99Ms ?? 0)).toFixed(2)),
        peakRssMb: Math.round(Math.max(...baseline.map((r) => r.peakRssMb))),
      },
      ratio: Number((median(worker.map(rate)) / median(baseline.map(rate))).toFixed(3)),
    });
  } finally {
    await deleteTopic(admin, topic);
    await admin.disconnect();
    await client.execute(`DROP KEYSPACE IF EXISTS ${KEYSPACE}`).catch(() => undefined);
    await client.shutdown();
  }
}

await main();
