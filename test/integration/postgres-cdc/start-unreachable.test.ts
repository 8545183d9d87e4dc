// The task starts while PostgreSQL cannot be reached (nothing listens on database.port yet): it is RUNNING
// anyway and retries the start every retriable.restart.connector.wait.ms, logging each try at WARN; once a
// TCP proxy to the real server opens that port, the start goes through, the snapshot is taken and changes
// stream. With errors.max.retries=1 the task fails with PG_CDC_CONNECT_FAILED; a verdict found once the
// server answers (publication missing) fails at once; a stop during the wait returns promptly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { topicSize } from '../../support/kafka-test-client.js';
import { freePort, sleep, waitFor, WorkerProcess } from '../../support/worker-process.js';
import { startPgProxy, type PgProxy } from './pg-proxy.js';
import { cdcFixture, payloadOf, readChanges, type CdcFixture } from './cdc-fixture.js';

const fixtures: CdcFixture[] = [];
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
});

async function fixture(label: string): Promise<CdcFixture> {
  const fx = await cdcFixture(label);
  fixtures.push(fx);
  return fx;
}

async function startProxy(port: number): Promise<PgProxy> {
  const proxy = await startPgProxy(port);
  proxies.push(proxy);
  return proxy;
}

function unreachable(
  fx: CdcFixture,
  port: number,
  extra: Record<string, string> = {},
): Record<string, string> {
  return fx.connectorConfig({
    'database.hostname': '127.0.0.1',
    'database.port': String(port),
    'retriable.restart.connector.wait.ms': '500',
    ...extra,
  });
}

function startWarnings(port: number, slot: string): string[] {
  return worker.output
    .split('\n')
    .filter((line) =>
      line.includes(`Could not connect to PostgreSQL at 127.0.0.1:${port} to start the task (slot ${slot})`),
    );
}

test('a task started while PostgreSQL is unreachable stays RUNNING, connects once it can, snapshots and streams', async () => {
  const fx = await fixture('startdown');
  const { db, schema } = fx;
  await db.query(`CREATE TABLE ${schema}.events (id int PRIMARY KEY, note text NOT NULL)`);
  await db.query(`INSERT INTO ${schema}.events SELECT g, 'before' FROM generate_series(1, 5) g`);
  const port = await freePort();
  const name = `cdcdown-${fx.suffix}`;
  const created = Date.now();
  await worker.createConnector(name, unreachable(fx, port));
  await worker.waitForState(name, 'RUNNING', 1);

  const states = new Set<string>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const status = await worker.status(name).catch(() => null);
      for (const t of status?.tasks ?? []) states.add(t.state);
      await sleep(200);
    }
  })();

  await waitFor(async () => startWarnings(port, fx.slot).length >= 3, 30_000, 'three refused start attempts');
  const warnings = startWarnings(port, fx.slot);
  assert.match(warnings[0]!, /ECONNREFUSED/);
  assert.match(warnings[0]!, /start attempt 2 \(retry 1 of unlimited\) in 500 ms/);
  assert.match(warnings[1]!, /start attempt 3 \(retry 2 of unlimited\) in 500 ms/);
  assert.match(warnings[0]!, /"level":40|WARN/i);
  // Rows written while the task cannot connect are in the snapshot it takes once it can.
  await db.query(`INSERT INTO ${schema}.events SELECT g, 'while down' FROM generate_series(6, 10) g`);

  // The server comes back a few seconds after the task started.
  await sleep(Math.max(0, 3_000 - (Date.now() - created)));
  await startProxy(port);
  const proxyUp = Date.now();
  await waitFor(
    async () => (await topicSize(fx.topic('events')).catch(() => 0)) >= 10,
    60_000,
    'the snapshot',
  );
  const connectedAfter = Date.now() - proxyUp;
  await db.query(`INSERT INTO ${schema}.events SELECT g, 'after' FROM generate_series(11, 20) g`);
  await waitFor(async () => (await topicSize(fx.topic('events'))) >= 20, 60_000, 'all 20 rows');
  watching = false;
  await watcher;

  const messages = await readChanges(fx.topic('events'), await topicSize(fx.topic('events')));
  const byId = new Map<number, string>();
  for (const m of messages) {
    const p = payloadOf(m);
    byId.set((p?.after as { id: number }).id, String(p?.op));
  }
  assert.deepEqual(
    Array.from({ length: 20 }, (_, i) => i + 1).filter((id) => !byId.has(id)),
    [],
    'every row reached Kafka',
  );
  assert.equal(byId.get(1), 'r', 'rows from before the start come from the snapshot');
  assert.equal(byId.get(15), 'c', 'rows from after the connect are streamed');
  assert.equal(messages.length, 20, 'each row once');
  assert.deepEqual([...states], ['RUNNING'], 'the task never left RUNNING');
  assert.ok(worker.output.includes(`Connected to PostgreSQL at 127.0.0.1:${port} after`));
  console.log(
    `start-unreachable: ${startWarnings(port, fx.slot).length} refused attempts over ${proxyUp - created} ms; snapshot in Kafka ${connectedAfter} ms after the port opened`,
  );
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('errors.max.retries=1: the task fails with PG_CDC_CONNECT_FAILED naming server, attempts and cause', async () => {
  const fx = await fixture('startfail');
  await fx.db.query(`CREATE TABLE ${fx.schema}.t (id int PRIMARY KEY)`);
  const port = await freePort();
  const name = `cdcfail-${fx.suffix}`;
  await worker.createConnector(name, unreachable(fx, port, { 'errors.max.retries': '1' }));
  const status = await worker.waitForTaskState(name, 'FAILED', 30_000);
  assert.match(
    status.tasks[0]!.trace ?? '',
    new RegExp(
      `Could not connect to PostgreSQL at 127\\.0\\.0\\.1:${port} to start the task: 2 attempt\\(s\\) failed \\(errors\\.max\\.retries=1, retriable\\.restart\\.connector\\.wait\\.ms=500\\); last error: connect ECONNREFUSED 127\\.0\\.0\\.1:${port}`,
    ),
  );
  const warnings = startWarnings(port, fx.slot);
  assert.equal(warnings.length, 1, `one retry, then the verdict:\n${warnings.join('\n')}`);
  assert.match(warnings[0]!, /retry 1 of 1/);
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('once the server answers, a missing publication fails the start at once with PG_CDC_PUBLICATION_MISSING', async () => {
  const fx = await fixture('startpub');
  await fx.db.query(`CREATE TABLE ${fx.schema}.t (id int PRIMARY KEY)`);
  const port = await freePort();
  const name = `cdcpub-${fx.suffix}`;
  await worker.createConnector(name, unreachable(fx, port, { 'publication.autocreate.mode': 'disabled' }));
  await waitFor(async () => startWarnings(port, fx.slot).length >= 1, 30_000, 'a refused start attempt');
  assert.equal((await worker.status(name)).tasks[0]?.state, 'RUNNING');
  await startProxy(port);
  const status = await worker.waitForTaskState(name, 'FAILED', 30_000);
  assert.match(
    status.tasks[0]!.trace ?? '',
    new RegExp(`Publication "${fx.publication}" does not exist and publication.autocreate.mode is disabled`),
  );
  await worker.rest('DELETE', `/connectors/${name}`);
});

test('deleting the connector while its start waits to be retried returns at once', async () => {
  const fx = await fixture('startstop');
  await fx.db.query(`CREATE TABLE ${fx.schema}.t (id int PRIMARY KEY)`);
  const port = await freePort();
  const name = `cdcstop-${fx.suffix}`;
  await worker.createConnector(
    name,
    unreachable(fx, port, { 'retriable.restart.connector.wait.ms': '60000' }),
  );
  await waitFor(async () => startWarnings(port, fx.slot).length >= 1, 30_000, 'the start to be deferred');
  const started = Date.now();
  const reply = await worker.rest('DELETE', `/connectors/${name}`);
  assert.equal(reply.status, 204);
  await waitFor(
    async () => (await worker.rest('GET', `/connectors/${name}/status`)).status === 404,
    10_000,
    'the connector gone',
  );
  const took = Date.now() - started;
  assert.ok(took < 5_000, `the stop did not wait out the 60 s retry delay (${took} ms)`);
});
