// The replication connection is lost while rows keep coming (the task's walsender is terminated with
// pg_terminate_backend, as a server restart or a DBA would): the task reconnects on its own, stays RUNNING
// and every row reaches Kafka, also when the server refuses new connections for a while. errors.max.retries
// bounds the attempts (0: fail at once, naming server and cause); a problem a reconnect finds that is not a
// lost connection (publication gone) fails at once with its own code; a stop cuts the reconnect wait short.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PG_URL } from '../../support/endpoints.js';
import { topicSize } from '../../support/kafka-test-client.js';
import { freePort, sleep, waitFor, WorkerProcess } from '../../support/worker-process.js';
import { startPgProxy, type PgProxy } from './pg-proxy.js';
import { cdcFixture, payloadOf, readChanges, type CdcFixture } from './cdc-fixture.js';

const SNAPSHOT_ROWS = 5;
const ROWS_AFTER_LOSSES = 200;

const fixtures: CdcFixture[] = [];
const roles: string[] = [];
const proxies: PgProxy[] = [];
let worker: WorkerProcess;

before(async () => {
  worker = await WorkerProcess.start({ properties: { 'offset.flush.interval.ms': '500' } });
});

after(async () => {
  await worker?.terminate().catch(() => undefined);
  await worker?.dispose();
  for (const proxy of proxies) await proxy.close();
  for (const fx of fixtures) await fx.cleanup();
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  for (const role of roles) {
    await admin.query(`DROP OWNED BY ${role}`).catch(() => undefined);
    await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
  }
  await admin.end();
});

async function fixture(label: string): Promise<CdcFixture> {
  const fx = await cdcFixture(label);
  fixtures.push(fx);
  return fx;
}

async function activeWalsender(fx: CdcFixture, other?: number): Promise<number> {
  return waitFor(
    async () => {
      const r = await fx.db.query<{ pid: number }>(
        'SELECT active_pid AS pid FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL',
        [fx.slot],
      );
      const pid = r.rows[0]?.pid;
      return pid !== undefined && pid !== other ? pid : false;
    },
    60_000,
    `a walsender streaming slot ${fx.slot}${other === undefined ? '' : ` other than ${other}`}`,
  );
}

async function terminateWalsender(fx: CdcFixture): Promise<number> {
  const pid = await activeWalsender(fx);
  const r = await fx.db.query<{ done: boolean }>('SELECT pg_terminate_backend($1) AS done', [pid]);
  assert.equal(r.rows[0]?.done, true);
  return pid;
}

function serverAddress(fx: CdcFixture): string {
  const config = fx.connectorConfig();
  return `${config['database.hostname']}:${config['database.port']}`;
}

test('a terminated walsender is replaced: the task stays RUNNING and no inserted row is missing', async () => {
  const fx = await fixture('reconn');
  const { db, schema } = fx;
  await db.query(`CREATE TABLE ${schema}.events (id int PRIMARY KEY, note text NOT NULL)`);
  for (let id = 0; id < SNAPSHOT_ROWS; id++)
    await db.query(`INSERT INTO ${schema}.events VALUES ($1, 'before')`, [id]);
  const name = `cdc-${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({ 'retriable.restart.connector.wait.ms': '500', 'max.batch.size': '50' }),
  );
  await worker.waitForState(name, 'RUNNING', 1);
  await activeWalsender(fx);

  // Anyone looking at the status while this runs sees RUNNING, never FAILED.
  const states = new Set<string>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const status = await worker.status(name).catch(() => null);
      for (const t of status?.tasks ?? []) states.add(t.state);
      await sleep(200);
    }
  })();

  // Rows keep coming until both losses are over and ROWS_AFTER_LOSSES more were written after the last one,
  // so both cuts land mid-stream however fast this machine streams.
  let written = SNAPSHOT_ROWS;
  let stopAt = Number.POSITIVE_INFINITY;
  const writer = (async () => {
    for (let id = SNAPSHOT_ROWS; id < stopAt; id++) {
      await db.query(`INSERT INTO ${schema}.events VALUES ($1, 'live')`, [id]);
      written = id + 1;
      await sleep(5);
    }
  })();

  const recoveries: number[] = [];
  for (const threshold of [100, 300]) {
    await waitFor(
      async () => (await topicSize(fx.topic('events')).catch(() => 0)) >= threshold,
      60_000,
      `${threshold} events in Kafka`,
    );
    const killed = await terminateWalsender(fx);
    const at = Date.now();
    await activeWalsender(fx, killed);
    recoveries.push(Date.now() - at);
  }
  stopAt = written + ROWS_AFTER_LOSSES;
  await writer;

  const total = written;
  await waitFor(
    async () => (await topicSize(fx.topic('events'))) >= total,
    60_000,
    `${total} events in Kafka`,
  );
  const messages = await readChanges(fx.topic('events'), await topicSize(fx.topic('events')));
  watching = false;
  await watcher;

  const seen = new Set<number>();
  let snapshotReads = 0;
  for (const m of messages) {
    const p = payloadOf(m);
    if (p?.op === 'r') snapshotReads++;
    seen.add((p?.after as { id: number }).id);
  }
  const missing = Array.from({ length: total }, (_, id) => id).filter((id) => !seen.has(id));
  assert.deepEqual(missing, [], 'every inserted row is in Kafka');
  assert.equal(snapshotReads, SNAPSHOT_ROWS, 'the snapshot was not taken again');
  assert.deepEqual([...states], ['RUNNING'], 'the task never left RUNNING');
  assert.equal((await worker.status(name)).tasks[0]?.state, 'RUNNING');

  const warnings = worker.output
    .split('\n')
    .filter((line) => line.includes('Lost the connection to PostgreSQL') && line.includes(fx.slot));
  assert.equal(warnings.length, 2, `one warning per lost connection:\n${warnings.join('\n')}`);
  for (const line of warnings) {
    assert.match(line, /terminating connection due to administrator command/);
    assert.match(line, /reconnect attempt 1 of unlimited in 500 ms/);
    assert.match(line, /"level":40|WARN/i);
  }
  console.log(
    `reconnect: ${messages.length} events for ${total} rows (${messages.length - total} repeated); walsender back after ${recoveries.join(' ms, ')} ms`,
  );
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('errors.max.retries=0: a lost connection fails the task at once, naming the server and the cause', async () => {
  const fx = await fixture('reconn0');
  await fx.db.query(`CREATE TABLE ${fx.schema}.t (id int PRIMARY KEY)`);
  const name = `cdc0-${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({ 'errors.max.retries': '0', 'retriable.restart.connector.wait.ms': '500' }),
  );
  await worker.waitForState(name, 'RUNNING', 1);
  await terminateWalsender(fx);
  const status = await worker.waitForTaskState(name, 'FAILED', 30_000);
  const trace = status.tasks[0]!.trace ?? '';
  const address = serverAddress(fx).replaceAll('.', '\\.');
  assert.match(
    trace,
    new RegExp(
      `Lost the connection to PostgreSQL at ${address} and did not get it back after 0 reconnect attempt\\(s\\) \\(errors\\.max\\.retries=0\\): terminating connection due to administrator command`,
    ),
  );
  assert.match(trace, /57P01|administrator command/);
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('a reconnect that finds the publication gone fails at once with PG_CDC_PUBLICATION_MISSING', async () => {
  const fx = await fixture('reconnpub');
  await fx.db.query(`CREATE TABLE ${fx.schema}.t (id int PRIMARY KEY)`);
  await fx.db.query(`CREATE PUBLICATION ${fx.publication} FOR TABLE ${fx.schema}.t`);
  const name = `cdcpub-${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({
      'publication.autocreate.mode': 'disabled',
      'retriable.restart.connector.wait.ms': '500',
    }),
  );
  await worker.waitForState(name, 'RUNNING', 1);
  await activeWalsender(fx);
  await fx.db.query(`DROP PUBLICATION ${fx.publication}`);
  await terminateWalsender(fx);
  const failedAt = Date.now();
  const status = await worker.waitForTaskState(name, 'FAILED', 30_000);
  assert.ok(Date.now() - failedAt < 15_000, 'no endless retrying');
  assert.match(
    status.tasks[0]!.trace ?? '',
    new RegExp(`Publication "${fx.publication}" does not exist and publication.autocreate.mode is disabled`),
  );
  const attempts = worker.output
    .split('\n')
    .filter((line) => line.includes('Lost the connection to PostgreSQL') && line.includes(fx.slot));
  assert.equal(attempts.length, 1, 'one reconnect attempt, then the verdict');
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('errors.max.retries=2: when every new session is lost too, the task fails after two attempts', async () => {
  const fx = await fixture('reconn2');
  await fx.db.query(`CREATE TABLE ${fx.schema}.t (id int PRIMARY KEY)`);
  const name = `cdc2-${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({ 'errors.max.retries': '2', 'retriable.restart.connector.wait.ms': '300' }),
  );
  await worker.waitForState(name, 'RUNNING', 1);
  // No change flows in between, so the retry count never starts over.
  let pid = await terminateWalsender(fx);
  for (let i = 0; i < 2; i++) {
    pid = await activeWalsender(fx, pid);
    await fx.db.query('SELECT pg_terminate_backend($1)', [pid]);
  }
  const status = await worker.waitForTaskState(name, 'FAILED', 30_000);
  assert.match(
    status.tasks[0]!.trace ?? '',
    /did not get it back after 2 reconnect attempt\(s\) \(errors\.max\.retries=2\): terminating connection due to administrator command/,
  );
  const attempts = worker.output
    .split('\n')
    .filter((line) => line.includes('Lost the connection to PostgreSQL') && line.includes(fx.slot))
    .map((line) => /reconnect attempt (\d+) of 2/.exec(line)?.[1]);
  assert.deepEqual(attempts, ['1', '2']);
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('deleting the connector while it waits to reconnect stops it at once and leaves no connection behind', async () => {
  const fx = await fixture('reconnstop');
  await fx.db.query(`CREATE TABLE ${fx.schema}.t (id int PRIMARY KEY)`);
  const name = `cdcstop-${fx.suffix}`;
  await worker.createConnector(name, fx.connectorConfig({ 'retriable.restart.connector.wait.ms': '60000' }));
  await worker.waitForState(name, 'RUNNING', 1);
  await terminateWalsender(fx);
  await waitFor(
    async () => worker.output.includes(`(slot ${fx.slot}): terminating connection`),
    10_000,
    'the reconnect wait to begin',
  );
  const started = Date.now();
  const reply = await worker.rest('DELETE', `/connectors/${name}`);
  assert.equal(reply.status, 204);
  await waitFor(
    async () => (await worker.rest('GET', `/connectors/${name}/status`)).status === 404,
    10_000,
    'the connector gone',
  );
  await waitFor(
    async () =>
      (
        await fx.db.query('SELECT 1 FROM pg_stat_activity WHERE application_name LIKE $1', [
          `sluice-cdc-${fx.slot}%`,
        ])
      ).rowCount === 0,
    10_000,
    'no connection of the task left',
  );
  assert.ok(Date.now() - started < 10_000, 'the stop did not wait out the 60 s reconnect delay');
});

test('while the server refuses new connections the task keeps trying, then catches up on every row written meanwhile', async () => {
  const fx = await fixture('reconnlimit');
  const { db, schema } = fx;
  // A replication user of its own whose connection limit the test can close and open again; role limits
  // refuse the task's metadata connection with SQLSTATE 53300, as a full or starting server would.
  const role = `cdc_${fx.suffix}`;
  roles.push(role);
  await db.query(`CREATE ROLE ${role} LOGIN REPLICATION`);
  await db.query(`GRANT USAGE ON SCHEMA ${schema} TO ${role}`);
  await db.query(`CREATE TABLE ${schema}.t (id int PRIMARY KEY)`);
  await db.query(`ALTER TABLE ${schema}.t OWNER TO ${role}`);
  await db.query(`CREATE PUBLICATION ${fx.publication} FOR TABLE ${schema}.t`);
  const name = `cdclimit-${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({
      'database.user': role,
      'publication.autocreate.mode': 'disabled',
      'retriable.restart.connector.wait.ms': '300',
    }),
  );
  await worker.waitForState(name, 'RUNNING', 1);
  await db.query(`INSERT INTO ${schema}.t SELECT generate_series(1, 10)`);
  await waitFor(async () => (await topicSize(fx.topic('t')).catch(() => 0)) >= 10, 30_000, 'first rows');

  await db.query(`ALTER ROLE ${role} CONNECTION LIMIT 0`);
  const killed = await terminateWalsender(fx);
  await db.query(`INSERT INTO ${schema}.t SELECT generate_series(11, 30)`);
  const refusals = (): string[] =>
    worker.output
      .split('\n')
      .filter((line) => line.includes('Could not reconnect to PostgreSQL') && line.includes(fx.slot));
  await waitFor(async () => refusals().length >= 3, 30_000, 'three refused reconnect attempts');
  assert.equal((await worker.status(name)).tasks[0]?.state, 'RUNNING');
  assert.match(refusals()[0]!, /too many connections for role/);
  assert.match(refusals()[0]!, /reconnect attempt 2 of unlimited in 300 ms/);

  await db.query(`ALTER ROLE ${role} CONNECTION LIMIT -1`);
  await activeWalsender(fx, killed);
  await waitFor(async () => (await topicSize(fx.topic('t'))) >= 30, 30_000, 'all 30 rows');
  const ids = new Set(
    (await readChanges(fx.topic('t'), await topicSize(fx.topic('t')))).map(
      (m) => (payloadOf(m)?.after as { id: number }).id,
    ),
  );
  assert.deepEqual(
    Array.from({ length: 30 }, (_, i) => i + 1).filter((id) => !ids.has(id)),
    [],
    'rows written while the task could not connect are delivered after it reconnected',
  );
  assert.equal((await worker.status(name)).tasks[0]?.state, 'RUNNING');
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('a connection lost in the middle of a large transaction continues it: every row once, one BEGIN and END', async () => {
  const fx = await fixture('reconnbig');
  const { db, schema } = fx;
  const rows = 5000;
  await db.query(`CREATE TABLE ${schema}.big (id int PRIMARY KEY, pad text NOT NULL)`);
  // The task reaches PostgreSQL through a proxy that lets only part of the transaction through before the
  // connection is cut, so the cut lands inside the transaction however fast this machine is.
  const proxy = await startPgProxy(await freePort());
  proxies.push(proxy);
  const name = `cdcbig-${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({
      'database.hostname': '127.0.0.1',
      'database.port': String(proxy.port),
      'retriable.restart.connector.wait.ms': '300',
      'provide.transaction.metadata': 'true',
      'max.queue.size': '200',
      'max.batch.size': '100',
    }),
  );
  await worker.waitForState(name, 'RUNNING', 1);
  await activeWalsender(fx);
  // About 150 bytes of stream per 100-character row: 200 kB carries roughly a quarter of the 5000 rows.
  proxy.limitReplication(200_000);
  await db.query(
    `INSERT INTO ${schema}.big SELECT i, repeat('x', 100) FROM generate_series(1, ${rows}) AS i`,
  );
  await waitFor(
    async () => (await topicSize(fx.topic('big')).catch(() => 0)) >= 500,
    60_000,
    'part of the transaction in Kafka',
  );
  const killed = await terminateWalsender(fx);
  proxy.cutReplication();
  const beforeCut = await topicSize(fx.topic('big'));
  console.log(`large transaction: ${beforeCut} of ${rows} rows in Kafka when the connection was cut`);
  assert.ok(beforeCut < rows, 'the loss lands inside the transaction');
  await activeWalsender(fx, killed);
  await waitFor(async () => (await topicSize(fx.topic('big'))) >= rows, 60_000, `${rows} rows`);
  await sleep(1000); // anything repeated would arrive now
  const messages = await readChanges(fx.topic('big'), await topicSize(fx.topic('big')));
  const ids = messages.map((m) => (payloadOf(m)?.after as { id: number }).id);
  assert.equal(ids.length, rows, 'no row twice');
  assert.deepEqual(ids.slice(0, 5), [1, 2, 3, 4, 5], 'in insertion order');
  assert.equal(new Set(ids).size, rows);
  const orders = messages.map((m) => (payloadOf(m)?.transaction as { total_order: number }).total_order);
  assert.deepEqual(
    orders,
    Array.from({ length: rows }, (_, i) => i + 1),
    'total_order runs on',
  );
  assert.equal(await topicSize(`${fx.prefix}.transaction`), 2, 'one BEGIN and one END');
  const txEvents = (await readChanges(`${fx.prefix}.transaction`, 2)).map((m) => payloadOf(m));
  assert.deepEqual(
    txEvents.map((p) => p?.status),
    ['BEGIN', 'END'],
  );
  assert.equal(txEvents[1]?.event_count, rows);
  assert.equal((await worker.status(name)).tasks[0]?.state, 'RUNNING');
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('a connection that goes silent without closing is given up after wal.receiver.timeout.ms; no row is missing', async () => {
  const fx = await fixture('reconnsilent');
  const { db, schema } = fx;
  await db.query(`CREATE TABLE ${schema}.t (id int PRIMARY KEY)`);
  const proxy = await startPgProxy(await freePort());
  proxies.push(proxy);
  const name = `cdcsilent-${fx.suffix}`;
  await worker.createConnector(
    name,
    fx.connectorConfig({
      'database.hostname': '127.0.0.1',
      'database.port': String(proxy.port),
      'wal.receiver.timeout.ms': '3000',
      'retriable.restart.connector.wait.ms': '300',
    }),
  );
  await worker.waitForState(name, 'RUNNING', 1);
  const frozenPid = await activeWalsender(fx);
  await db.query(`INSERT INTO ${schema}.t SELECT generate_series(1, 10)`);
  await waitFor(async () => (await topicSize(fx.topic('t')).catch(() => 0)) >= 10, 30_000, 'first rows');

  // Packets are dropped from now on: no FIN, no RST, the socket stays open on both sides.
  proxy.freezeReplication();
  const frozenAt = Date.now();
  await db.query(`INSERT INTO ${schema}.t SELECT generate_series(11, 30)`);
  const losses = (): string[] =>
    worker.output
      .split('\n')
      .filter((line) => line.includes('Lost the connection to PostgreSQL') && line.includes(fx.slot));
  await waitFor(async () => losses().length >= 1, 30_000, 'the silent connection given up');
  const noticedAfter = Date.now() - frozenAt;
  assert.match(losses()[0]!, /no message from the server for \d+ ms \(wal\.receiver\.timeout\.ms\)/);
  // While idle the task hears the server at least every ~1.8 s (its reply requests after 1.5 s of silence
  // are answered), so at the freeze less than that has passed: giving up earlier than ~1.2 s after the
  // freeze would mean the connection was dropped before 3 s of silence.
  assert.ok(noticedAfter >= 1_000, `not given up before the timeout (after ${noticedAfter} ms)`);

  // The server still believes the old walsender streams; the task terminates that one and takes the slot.
  await activeWalsender(fx, frozenPid);
  await waitFor(async () => (await topicSize(fx.topic('t'))) >= 30, 30_000, 'all 30 rows');
  await sleep(1000); // anything repeated would arrive now
  const ids = (await readChanges(fx.topic('t'), await topicSize(fx.topic('t')))).map(
    (m) => (payloadOf(m)?.after as { id: number }).id,
  );
  assert.deepEqual(
    ids,
    Array.from({ length: 30 }, (_, i) => i + 1),
    'every row once, in order',
  );
  assert.equal((await worker.status(name)).tasks[0]?.state, 'RUNNING');
  console.log(`silent connection given up ${noticedAfter} ms after the network froze (timeout 3000 ms)`);
  await worker.rest('DELETE', `/connectors/${name}`);
});
