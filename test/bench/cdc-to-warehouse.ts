// CDC to warehouse, end to end: rows inserted into a source Postgres table travel PostgresCdcSource → Kafka A
// → PostgresSink into another database. Measured inside Postgres itself (one clock): each source row records
// clock_timestamp() when it is inserted (its transaction commits right after) and the target row gets
// clock_timestamp() as a column default when the sink inserts it. Prints one JSON line per result:
//   burst  — 50,000 rows inserted as fast as one client can (500 rows per transaction): applied rows/s
//   steady — 1,000 rows/s for 20 s: the lag from source commit to target commit, p50/p99
import { median, printResult, roundTo } from './support/results.js';
import { sleep, waitFor, WorkerProcess } from '../support/worker-process.js';
import {
  cdcSourceAvailable,
  pipelineNames,
  SourceDatabase,
  startPipeline,
  type SourceTable,
} from '../integration/postgres-sink/pipeline.js';
import { JSON_WITH_SCHEMAS, TargetDatabase } from '../integration/postgres-sink/support.js';

const TABLE: SourceTable = {
  name: 'bench_rows',
  ddl: 'CREATE TABLE bench_rows (id bigint PRIMARY KEY, amount numeric(12,2), note text, payload jsonb, committed_at timestamptz NOT NULL)',
  compare: 'SELECT count(*) FROM bench_rows',
};
const ROWS_PER_TRANSACTION = 500;
const BURST_ROWS = 50_000;
const STEADY_RATE = 1_000;
const STEADY_SECONDS = 20;

let nextId = 1;

async function insertBatch(source: SourceDatabase, rows: number): Promise<void> {
  const values: string[] = [];
  const params: unknown[] = [];
  for (let i = 0; i < rows; i++) {
    const id = nextId++;
    params.push(id, (id % 100_000) / 100, `note ${id}`, JSON.stringify({ id, k: id % 7 }));
    const p = params.length;
    values.push(`($${p - 3}, $${p - 2}, $${p - 1}, $${p}, clock_timestamp())`);
  }
  await source.client.query(
    `INSERT INTO bench_rows (id, amount, note, payload, committed_at) VALUES ${values.join(', ')}`,
    params,
  );
}

async function appliedCount(target: TargetDatabase, fromId: number): Promise<number> {
  const rows = await target.rows('SELECT count(*)::int AS n FROM bench_rows WHERE id >= $1', [fromId]);
  return Number(rows[0]!['n']);
}

interface Window {
  readonly rows: number;
  readonly seconds: number;
  readonly lagsMs: number[];
}

async function measure(target: TargetDatabase, fromId: number, toId: number): Promise<Window> {
  const rows = await target.rows(
    `SELECT extract(epoch FROM applied_at - committed_at) * 1000 AS lag_ms,
            extract(epoch FROM (max(applied_at) OVER () - min(committed_at) OVER ())) AS span_s
     FROM bench_rows WHERE id >= $1 AND id < $2`,
    [fromId, toId],
  );
  const lags = rows.map((r) => Number(r['lag_ms'])).sort((a, b) => a - b);
  return { rows: rows.length, seconds: Number(rows[0]?.['span_s'] ?? 0), lagsMs: lags };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function main(): Promise<void> {
  if (!(await cdcSourceAvailable())) {
    process.stderr.write('cdc-to-warehouse: PostgresCdcSource is not built in; nothing to measure\n');
    process.exitCode = 1;
    return;
  }
  const names = pipelineNames('bench');
  const source = await SourceDatabase.create([TABLE]);
  const target = await TargetDatabase.create();
  // The target table exists up front only to add applied_at, stamped by Postgres when the sink inserts a row.
  await target.client.query(
    `${TABLE.ddl.replace('committed_at timestamptz NOT NULL', 'committed_at timestamptz NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp()')}`,
  );
  const worker = await WorkerProcess.start({
    properties: { ...JSON_WITH_SCHEMAS, 'offset.flush.interval.ms': '10000' },
    env: { SLUICE_LOG_LEVEL: 'WARN' },
  });
  try {
    await startPipeline(worker, names, source, target, [TABLE.name]);
    await insertBatch(source, 1);
    await waitFor(
      async () => (await appliedCount(target, 1)) >= 1,
      120_000,
      'the pipeline delivering its first row',
    );

    const burstFrom = nextId;
    for (let sent = 0; sent < BURST_ROWS; sent += ROWS_PER_TRANSACTION)
      await insertBatch(source, ROWS_PER_TRANSACTION);
    await waitFor(
      async () => (await appliedCount(target, burstFrom)) >= BURST_ROWS,
      600_000,
      'the burst applied',
      200,
    );
    const burst = await measure(target, burstFrom, nextId);
    printResult({
      name: 'cdc-to-warehouse/burst',
      rows: burst.rows,
      seconds: roundTo(burst.seconds, 2),
      rowsPerSec: Math.round(burst.rows / burst.seconds),
      lagMsP50: Math.round(median(burst.lagsMs)),
      lagMsP99: Math.round(percentile(burst.lagsMs, 99)),
      rowsPerSourceTransaction: ROWS_PER_TRANSACTION,
    });

    const steadyFrom = nextId;
    const perTick = STEADY_RATE / 10;
    const started = Date.now();
    for (let tick = 0; tick < STEADY_SECONDS * 10; tick++) {
      await insertBatch(source, perTick);
      const due = started + (tick + 1) * 100;
      if (due > Date.now()) await sleep(due - Date.now());
    }
    await waitFor(
      async () => (await appliedCount(target, steadyFrom)) >= STEADY_RATE * STEADY_SECONDS,
      300_000,
      'the steady run applied',
      200,
    );
    const steady = await measure(target, steadyFrom, nextId);
    printResult({
      name: 'cdc-to-warehouse/steady',
      rows: steady.rows,
      seconds: roundTo(steady.seconds, 2),
      offeredRowsPerSec: STEADY_RATE,
      rowsPerSec: Math.round(steady.rows / steady.seconds),
      lagMsP50: Math.round(median(steady.lagsMs)),
      lagMsP99: Math.round(percentile(steady.lagsMs, 99)),
      lagMsMax: Math.round(steady.lagsMs[steady.lagsMs.length - 1] ?? NaN),
    });
  } finally {
    await worker.dispose();
    await source.drop(names.slot);
    await target.drop();
  }
}

await main();
