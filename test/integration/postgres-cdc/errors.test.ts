// What users see when something is off: tables without a primary key still flow (null key), and a slot
// held by another client fails the task with a message naming the slot and the pid holding it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor, WorkerProcess } from '../../support/worker-process.js';
import { cdcFixture, payloadOf, readChanges, type CdcFixture } from './cdc-fixture.js';

let fx: CdcFixture;
let worker: WorkerProcess;

before(async () => {
  fx = await cdcFixture('err');
  worker = await WorkerProcess.start();
});

after(async () => {
  await worker?.terminate().catch(() => undefined);
  await worker?.dispose();
  await fx?.cleanup();
});

test('a table without a primary key streams its changes with a null key', async () => {
  const { db, schema } = fx;
  await db.query(`CREATE TABLE ${schema}.nokey (a int, b text)`);
  await db.query(`ALTER TABLE ${schema}.nokey REPLICA IDENTITY FULL`);
  await db.query(`INSERT INTO ${schema}.nokey VALUES (1, 'snap')`);
  await worker.createConnector(`cdc-${fx.suffix}`, fx.connectorConfig());
  await worker.waitForState(`cdc-${fx.suffix}`, 'RUNNING', 1);
  await readChanges(fx.topic('nokey'), 1);
  await db.query(`INSERT INTO ${schema}.nokey VALUES (2, 'live')`);
  await db.query(`UPDATE ${schema}.nokey SET b = 'changed' WHERE a = 2`);
  const messages = await readChanges(fx.topic('nokey'), 3);
  assert.deepEqual(
    messages.map((m) => payloadOf(m)?.op),
    ['r', 'c', 'u'],
  );
  for (const m of messages) {
    assert.equal(m.raw.key === null || m.key?.payload === null, true, 'the key is null');
  }
  assert.deepEqual(
    payloadOf(messages[2]!)?.before,
    { a: 2, b: 'live' },
    'REPLICA IDENTITY FULL gives the before image',
  );
  assert.deepEqual(payloadOf(messages[2]!)?.after, { a: 2, b: 'changed' });
});

test('a second connector on a slot in use fails with the slot name and the pid holding it', async () => {
  const activePid = await waitFor(
    async () => {
      const r = await fx.db.query<{ pid: number }>(
        'SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1 AND active',
        [fx.slot],
      );
      return r.rows[0]?.pid;
    },
    30_000,
    'the first connector holding the slot',
  );
  const name = `cdc2-${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({
      'topic.prefix': `${fx.prefix}_2`,
      'slot.max.retries': '1',
      'slot.retry.delay.ms': '500',
    }),
  );
  const status = await worker.waitForTaskState(name, 'FAILED', 60_000);
  const trace = status.tasks[0]!.trace ?? '';
  assert.match(
    trace,
    new RegExp(`Replication slot "${fx.slot}" is in use by another client \\(pid ${activePid}\\)`),
  );
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('a database that does not exist fails the task with PG_CDC_DATABASE_NOT_FOUND naming it', async () => {
  const name = `cdcnodb-${fx.suffix}`;
  const database = `no_such_db_${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({ 'database.dbname': database, 'topic.prefix': `${fx.prefix}_nodb` }),
  );
  const trace = (await worker.waitForTaskState(name, 'FAILED', 30_000)).tasks[0]!.trace ?? '';
  // The first line of the trace is the advice, not pg's raw error.
  assert.match(
    trace.split('\n')[0]!,
    new RegExp(`Database "${database}" does not exist on PostgreSQL at .+: check database\\.dbname`),
  );
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('a user the server does not know fails the task with PG_CDC_LOGIN_REJECTED naming the user', async () => {
  const name = `cdcnouser-${fx.suffix}`;
  const user = `no_such_user_${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({ 'database.user': user, 'topic.prefix': `${fx.prefix}_nouser` }),
  );
  const trace = (await worker.waitForTaskState(name, 'FAILED', 30_000)).tasks[0]!.trace ?? '';
  assert.match(
    trace.split('\n')[0]!,
    new RegExp(`did not let user "${user}" connect to database .*check database\\.user`),
  );
  await worker.rest('DELETE', `/connectors/${name}`);
});
