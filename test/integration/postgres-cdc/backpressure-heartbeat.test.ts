// A transaction far larger than max.queue.size streams completely (the reader pauses instead of buffering
// it whole), and heartbeats with an action query move the slot forward while captured tables are idle.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { topicSize } from '../../support/kafka-test-client.js';
import { waitFor, WorkerProcess } from '../../support/worker-process.js';
import { cdcFixture, payloadOf, readChanges, type CdcFixture } from './cdc-fixture.js';

const ROWS = 20_000;

let fx: CdcFixture;
let worker: WorkerProcess;

before(async () => {
  fx = await cdcFixture('bulk');
  worker = await WorkerProcess.start();
});

after(async () => {
  await worker?.terminate().catch(() => undefined);
  await worker?.dispose();
  await fx?.cleanup();
});

test('one transaction of 20000 rows with max.queue.size=500 arrives whole, and heartbeats advance the slot', async () => {
  const { db, schema } = fx;
  await db.query(`CREATE TABLE ${schema}.bulk (id int PRIMARY KEY, pad text)`);
  await db.query(`CREATE TABLE ${schema}.heartbeat (id int PRIMARY KEY, ts timestamptz)`);
  const name = `cdc-${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({
      'max.queue.size': '500',
      'max.batch.size': '200',
      'heartbeat.interval.ms': '1000',
      'heartbeat.action.query': `INSERT INTO ${schema}.heartbeat VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET ts = now()`,
    }),
  );
  await worker.waitForState(name, 'RUNNING', 1);
  await waitFor(
    async () =>
      (await db.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active', [fx.slot]))
        .rowCount === 1,
    30_000,
    'streaming',
  );

  await db.query(`INSERT INTO ${schema}.bulk SELECT g, repeat('x', 200) FROM generate_series(1, ${ROWS}) g`);
  await waitFor(
    async () => (await topicSize(fx.topic('bulk')).catch(() => 0)) >= ROWS,
    120_000,
    `${ROWS} rows in Kafka`,
  ).catch(async (error: unknown) => {
    const have = await topicSize(fx.topic('bulk')).catch(() => -1);
    throw new Error(`${String(error)}; topic has ${have}; worker log:\n${worker.output.slice(-4000)}`);
  });
  const messages = await readChanges(fx.topic('bulk'), ROWS, 120_000);
  const ids = new Set(messages.map((m) => (payloadOf(m)?.after as { id: number }).id));
  assert.equal(ids.size, ROWS, 'every row of the transaction arrived');
  assert.ok(messages.every((m) => payloadOf(m)?.op === 'c'));

  // Idle captured tables: heartbeats (and their action query's own changes) keep confirming newer positions.
  const confirmed = async (): Promise<bigint> => {
    const r = await db.query<{ lsn: string }>(
      'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
      [fx.slot],
    );
    const [hi, lo] = r.rows[0]!.lsn.split('/');
    return (BigInt(`0x${hi}`) << 32n) | BigInt(`0x${lo}`);
  };
  const first = await confirmed();
  await waitFor(async () => (await confirmed()) > first, 30_000, 'the slot to advance while idle');
  const heartbeats = await readChanges(`__debezium-heartbeat.${fx.prefix}`, 1, 30_000);
  const hb = heartbeats[0]!;
  assert.deepEqual(hb.key?.payload, { serverName: fx.prefix });
  assert.equal((hb.value?.schema as { name: string }).name, 'io.debezium.connector.common.Heartbeat');
  assert.equal(typeof (hb.value?.payload as { ts_ms: number }).ts_ms, 'number');
});
