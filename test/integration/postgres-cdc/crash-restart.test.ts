// kill -9 in the middle of a stream of changes, then restart: every change reaches Kafka at least once, and
// the slot was never confirmed past a transaction whose records were not covered by a committed offset.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { topicSize } from '../../support/kafka-test-client.js';
import { waitFor, WorkerProcess, writeProperties } from '../../support/worker-process.js';
import { cdcFixture, payloadOf, readChanges, type CdcFixture } from './cdc-fixture.js';

/** Transactions written after the kill (while the worker is down and restarting). */
const TRANSACTIONS_AFTER_KILL = 100;
const ROWS_PER_TRANSACTION = 3;

let fx: CdcFixture;
let worker: WorkerProcess | undefined;

before(async () => {
  fx = await cdcFixture('crash');
});

after(async () => {
  await worker?.terminate().catch(() => undefined);
  await worker?.dispose();
  await fx?.cleanup();
});

function lsnNumber(text: string): number {
  const [hi, lo] = text.split('/');
  return parseInt(hi!, 16) * 2 ** 32 + parseInt(lo!, 16);
}

test('a worker killed mid-stream resumes without losing a change', async () => {
  const { db, schema } = fx;
  await db.query(`CREATE TABLE ${schema}.events (id int PRIMARY KEY, v int NOT NULL)`);
  const name = `cdc-${fx.suffix}`;
  const config = fx.connectorConfig({ 'provide.transaction.metadata': 'true', 'max.batch.size': '50' });
  worker = await WorkerProcess.start({ properties: { 'offset.flush.interval.ms': '500' } });
  const connectorFile = await writeProperties(join(worker.dir, 'cdc.properties'), { name, ...config });
  await worker.terminate();
  await worker.start([connectorFile]);
  await worker.waitForState(name, 'RUNNING', 1);
  await waitFor(
    async () =>
      (await db.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active', [fx.slot]))
        .rowCount === 1,
    30_000,
    'slot active',
  );

  // Transactions keep coming until TRANSACTIONS_AFTER_KILL after the kill, so the kill lands mid-stream
  // however fast this machine streams.
  let written = 0;
  let stopAt = Number.POSITIVE_INFINITY;
  const writer = (async () => {
    for (let t = 0; t < stopAt; t++) {
      await db.query('BEGIN');
      for (let r = 0; r < ROWS_PER_TRANSACTION; r++)
        await db.query(`INSERT INTO ${schema}.events VALUES ($1, 0)`, [t * ROWS_PER_TRANSACTION + r]);
      await db.query(`UPDATE ${schema}.events SET v = v + 1 WHERE id = $1`, [t * ROWS_PER_TRANSACTION]);
      await db.query('COMMIT');
      written = t + 1;
      await new Promise((r) => setTimeout(r, 10));
    }
  })();

  // Kill once a good part of the stream is in Kafka and some offsets are committed.
  const offsetsKey = JSON.stringify([name, { server: fx.prefix }]);
  await waitFor(
    async () => (await topicSize(fx.topic('events')).catch(() => 0)) >= 200,
    60_000,
    'first changes in Kafka',
  );
  await waitFor(
    async () => {
      const text = await readFile(worker!.offsetsFile, 'utf8').catch(() => '{}');
      return (
        (JSON.parse(text) as Record<string, { lsn_commit?: number }>)[offsetsKey]?.lsn_commit !== undefined
      );
    },
    30_000,
    'a committed streaming offset',
  );
  await worker.kill9();
  stopAt = written + TRANSACTIONS_AFTER_KILL;
  const stored = (
    JSON.parse(await readFile(worker.offsetsFile, 'utf8')) as Record<
      string,
      { lsn_commit: number; lsn_proc: number }
    >
  )[offsetsKey]!;
  await waitFor(
    async () =>
      (await db.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND NOT active', [fx.slot]))
        .rowCount === 1,
    30_000,
    'slot released',
  );
  const slotRow = await db.query<{ lsn: string }>(
    'SELECT confirmed_flush_lsn::text AS lsn FROM pg_replication_slots WHERE slot_name = $1',
    [fx.slot],
  );
  const confirmedAtKill = lsnNumber(slotRow.rows[0]!.lsn);

  await worker.start([connectorFile]);
  await writer;
  const transactions = written;
  const expectedChanges = transactions * (ROWS_PER_TRANSACTION + 1);
  await waitFor(
    async () => (await topicSize(fx.topic('events'))) >= expectedChanges,
    120_000,
    `${expectedChanges} changes in Kafka`,
  );
  const messages = await readChanges(fx.topic('events'), await topicSize(fx.topic('events')));

  const created = new Set<number>();
  const updated = new Set<number>();
  for (const m of messages) {
    const p = payloadOf(m);
    const after = p?.after as { id: number } | null;
    if (p?.op === 'c') created.add(after!.id);
    if (p?.op === 'u') updated.add(after!.id);
  }
  const missingCreates = Array.from({ length: transactions * ROWS_PER_TRANSACTION }, (_, i) => i).filter(
    (id) => !created.has(id),
  );
  assert.deepEqual(missingCreates, [], 'every insert is in Kafka');
  const missingUpdates = Array.from({ length: transactions }, (_, t) => t * ROWS_PER_TRANSACTION).filter(
    (id) => !updated.has(id),
  );
  assert.deepEqual(missingUpdates, [], 'every update is in Kafka');

  // Changes not covered by the offset stored at the kill belong to transactions committed at or after the
  // slot's confirmed position; otherwise PostgreSQL could not have re-sent them.
  let uncovered = 0;
  for (const m of messages) {
    const p = payloadOf(m);
    const tx = p?.transaction as { id: string } | null | undefined;
    const source = p?.source as { lsn: number } | undefined;
    if (!tx || !source) continue;
    const commitLsn = Number(tx.id.split(':')[1]);
    const covered =
      commitLsn < stored.lsn_commit || (commitLsn === stored.lsn_commit && source.lsn <= stored.lsn_proc);
    if (covered) continue;
    uncovered++;
    assert.ok(
      commitLsn >= confirmedAtKill,
      `transaction committed at ${commitLsn} was not covered by the stored offset, but the slot was confirmed at ${confirmedAtKill}`,
    );
  }
  assert.ok(uncovered > 0, 'some changes were delivered only after the restart');

  await worker.terminate();
});
