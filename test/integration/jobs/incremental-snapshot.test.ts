// Incremental snapshots of a running PostgresCdcSource (real PostgreSQL, Kafka and Redis): a `snapshot` job
// reads a 100k-row table in chunks while 10k updates and deletes stream; the topic reduced by key (last event
// per key, deletes and tombstones remove) equals the table, and no deleted row comes back. An execute-snapshot
// row inserted into the signal table works too, and bad requests get a 400/404 naming the problem.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { KAFKA_BOOTSTRAP, REDIS_URL } from '../../support/endpoints.js';
import { createTopic, deleteTopics, produce, topicSize } from '../../support/kafka-test-client.js';
import { sleep, uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';
import { jobOf, type JobBody } from './job-client.js';
import { cdcFixture, readChanges, type CdcFixture } from '../postgres-cdc/cdc-fixture.js';

const ROWS = 100_000;
const CHANGES = 10_000;
const RESTART_ROWS = 60_000;

let fx: CdcFixture;
let worker: WorkerProcess;
let connector: string;

before(async () => {
  fx = await cdcFixture('isnap');
  const { db, schema } = fx;
  await db.query(
    `CREATE TABLE ${schema}.debezium_signal (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data text)`,
  );
  await db.query(`CREATE TABLE ${schema}.big (id int PRIMARY KEY, v int NOT NULL, note text)`);
  await db.query(`INSERT INTO ${schema}.big SELECT g, 0, 'row ' || g FROM generate_series(1, ${ROWS}) g`);
  await db.query(`CREATE TABLE ${schema}.mid (id bigint PRIMARY KEY, note text)`);
  await db.query(
    `INSERT INTO ${schema}.mid SELECT g, 'mid ' || g FROM generate_series(1, ${RESTART_ROWS}) g`,
  );
  await db.query(`CREATE TABLE ${schema}.small (code text PRIMARY KEY, n int)`);
  await db.query(`INSERT INTO ${schema}.small VALUES ('a', 1), ('b', 2), ('c', 3)`);
  await db.query(`CREATE TABLE ${schema}.cancelled (id int PRIMARY KEY)`);
  await db.query(`INSERT INTO ${schema}.cancelled SELECT g FROM generate_series(1, ${RESTART_ROWS}) g`);
  await db.query(`CREATE TABLE ${schema}.stopped (id int PRIMARY KEY)`);
  await db.query(`INSERT INTO ${schema}.stopped VALUES (1), (2), (3)`);
  await db.query(`CREATE TABLE ${schema}.tiny (id int PRIMARY KEY, word text)`);
  await db.query(`INSERT INTO ${schema}.tiny VALUES (1, 'x'), (2, 'y')`);
  await db.query(`CREATE TABLE ${schema}.later (id int PRIMARY KEY, word text)`);
  await db.query(`INSERT INTO ${schema}.later VALUES (7, 'p'), (8, 'q')`);
  await createTopic(signalTopic());
  worker = await WorkerProcess.start({
    properties: { 'redis.url': REDIS_URL, 'jobs.queue.prefix': uniqueName('isnap-jobs') },
  });
  connector = `cdc-${fx.suffix}`;
  await worker.createConnector(
    connector,
    fx.connectorConfig({
      // No initial snapshot: every row that no change touches reaches the topic through the incremental one.
      'snapshot.mode': 'no_data',
      'signal.data.collection': `${schema}.debezium_signal`,
      'signal.enabled.channels': 'source,kafka',
      'signal.kafka.topic': signalTopic(),
      'signal.kafka.bootstrap.servers': KAFKA_BOOTSTRAP,
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
    }),
  );
  await worker.waitForState(connector, 'RUNNING', 1);
  await waitFor(
    async () =>
      (
        await db.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active_pid IS NOT NULL', [
          fx.slot,
        ])
      ).rowCount === 1,
    30_000,
    'the connector streaming from its slot',
  );
});

after(async () => {
  await worker?.terminate().catch(() => undefined);
  await worker?.dispose();
  await fx?.cleanup();
  await deleteTopics([signalTopic()]).catch(() => undefined);
});

function signalTopic(): string {
  return `${fx.prefix}-signal`;
}

const job = (id: string): Promise<JobBody> => jobOf(worker, id);

/** Reads the whole topic, in order, as (id, op or null for a tombstone, after). */
async function events(
  table: string,
): Promise<{ key: string; op: string | null; payload: Record<string, unknown> | null }[]> {
  const messages = await readChanges(fx.topic(table), await topicSize(fx.topic(table)), 120_000);
  return messages.map((m) => {
    const key = JSON.stringify(m.key);
    const value = m.value as unknown as Record<string, unknown> | null;
    return { key, op: value === null ? null : (value['op'] as string), payload: value };
  });
}

test('bad snapshot requests get a 404 or 400 naming the connector or table, and nothing starts', async () => {
  const unknownConnector = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'snapshot',
    config: { connector: 'no-such-connector', 'data-collections': [`${fx.schema}.big`] },
  });
  assert.equal(unknownConnector.status, 404, unknownConnector.text);
  assert.match(unknownConnector.body.message, /no-such-connector/);

  const unknownTable = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'snapshot',
    config: { connector, 'data-collections': [`${fx.schema}.no_such_table`] },
  });
  assert.equal(unknownTable.status, 400, unknownTable.text);
  assert.match(unknownTable.body.message, /no_such_table does not exist/);

  assert.deepEqual((await worker.rest<JobBody[]>('GET', '/jobs')).body, []);
  const signals = await fx.db.query(`SELECT 1 FROM ${fx.schema}.debezium_signal`);
  assert.equal(signals.rowCount, 0, 'no signal was written');
});

test('a snapshot job of 100k rows while 10k updates and deletes stream: the topic reduced by key equals the table', async () => {
  const { db, schema } = fx;
  const submitted = await worker.rest<JobBody>('POST', '/jobs', {
    type: 'snapshot',
    config: { connector, 'data-collections': [`${schema}.big`] },
  });
  assert.equal(submitted.status, 202, submitted.text);
  assert.equal(submitted.body.progress.estimated_records, ROWS);
  const id = submitted.body.id;

  // 10k changes in transactions of 10, over random keys: updates, and one delete in five.
  const deleted = new Set<number>();
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let done = 0; done < CHANGES; done += 10) {
    await db.query('BEGIN');
    for (let i = 0; i < 10; i++) {
      const key = 1 + Math.floor(random() * ROWS);
      if (random() < 0.2) {
        await db.query(`DELETE FROM ${schema}.big WHERE id = $1`, [key]);
        deleted.add(key);
      } else {
        await db.query(`UPDATE ${schema}.big SET v = v + 1, note = 'changed' WHERE id = $1`, [key]);
      }
    }
    await db.query('COMMIT');
  }

  const finished = await waitFor(
    async () => {
      const j = await job(id);
      return j.state === 'completed' || j.state === 'failed' ? j : false;
    },
    300_000,
    'the snapshot job finishing',
  );
  assert.equal(finished.state, 'completed', finished.error ?? '');
  assert.ok(
    finished.progress.records > ROWS - deleted.size - CHANGES,
    `rows reported: ${finished.progress.records}`,
  );

  const all = await events('big');
  const reads = all.filter((e) => e.op === 'r');
  assert.ok(reads.length > 0);
  for (const r of reads)
    assert.equal((r.payload?.['source'] as Record<string, unknown>)['snapshot'], 'incremental');
  const firstRead = all.findIndex((e) => e.op === 'r');
  const lastRead = all.length - 1 - [...all].reverse().findIndex((e) => e.op === 'r');
  assert.ok(
    all.slice(firstRead, lastRead).some((e) => e.op === 'u' || e.op === 'd'),
    'streamed changes interleave with the snapshot chunks',
  );

  // Reduce by key: the last event wins; a delete or tombstone removes the key.
  const reduced = new Map<string, Record<string, unknown>>();
  const deletedAt = new Map<string, number>();
  all.forEach((e, index) => {
    if (e.op === null || e.op === 'd') {
      reduced.delete(e.key);
      deletedAt.set(e.key, index);
    } else reduced.set(e.key, e.payload?.['after'] as Record<string, unknown>);
  });
  const table = await db.query<{ id: number; v: number; note: string }>(
    `SELECT id, v, note FROM ${schema}.big`,
  );
  assert.equal(table.rowCount, ROWS - deleted.size);
  assert.equal(reduced.size, table.rowCount, 'one key in the topic per row of the table');
  for (const row of table.rows) {
    const found = reduced.get(JSON.stringify({ id: row.id }));
    assert.deepEqual(found, { id: row.id, v: row.v, note: row.note }, `row ${row.id}`);
  }
  for (const key of deleted) {
    const k = JSON.stringify({ id: key });
    assert.ok(!reduced.has(k), `deleted row ${key} reappeared`);
    const at = deletedAt.get(k)!;
    assert.ok(
      !all.slice(at).some((e) => e.key === k && e.op === 'r'),
      `a snapshot read of ${key} after its delete`,
    );
  }
});

test('an execute-snapshot row inserted into the signal table snapshots that table', async () => {
  const { db, schema } = fx;
  await db.query(`INSERT INTO ${schema}.debezium_signal (id, type, data) VALUES ($1, $2, $3)`, [
    'adhoc-1',
    'execute-snapshot',
    JSON.stringify({ 'data-collections': [`${schema}.small`], type: 'incremental' }),
  ]);
  const messages = await readChanges(fx.topic('small'), 3);
  assert.deepEqual(
    messages.map((m) => {
      const value = m.value as unknown as Record<string, unknown>;
      return [value['op'], (value['source'] as Record<string, unknown>)['snapshot'], value['after']];
    }),
    [
      ['r', 'incremental', { code: 'a', n: 1 }],
      ['r', 'incremental', { code: 'b', n: 2 }],
      ['r', 'incremental', { code: 'c', n: 3 }],
    ],
  );
});

test('a snapshot whose task restarts mid-way goes on from the position in its offsets', async () => {
  const submitted = await worker.rest<JobBody>('POST', '/jobs', {
    type: 'snapshot',
    config: { connector, 'data-collections': `${fx.schema}.mid` },
  });
  assert.equal(submitted.status, 202, submitted.text);
  const id = submitted.body.id;
  const progressed = await waitFor(
    async () => {
      const j = await job(id);
      return j.progress.records > 0 || j.state !== 'active' ? j : false;
    },
    60_000,
    'the snapshot under way',
  );
  assert.equal(progressed.state, 'active', 'still running when the task restarts');
  const restarted = await worker.rest('POST', `/connectors/${connector}/tasks/0/restart`);
  assert.equal(restarted.status, 204, restarted.text);
  const finished = await waitFor(
    async () => {
      const j = await job(id);
      return j.state === 'completed' || j.state === 'failed' ? j : false;
    },
    120_000,
    'the snapshot job finishing',
  );
  assert.equal(finished.state, 'completed', finished.error ?? '');
  const all = await events('mid');
  const ids = new Set(all.map((e) => e.key));
  assert.equal(ids.size, RESTART_ROWS, 'every row arrived');
  // Resumed, not started over: only what was in flight at the restart is read twice.
  assert.ok(all.length < RESTART_ROWS + 4 * 1024, `${all.length} reads for ${RESTART_ROWS} rows`);
});

test('a signal on the Kafka signal topic, keyed by topic.prefix, snapshots that table', async () => {
  // Another connector's signal (another key) is not for this one.
  const smallBefore = await topicSize(fx.topic('small'));
  await produce(signalTopic(), [
    {
      key: 'someone-else',
      value: JSON.stringify({
        type: 'execute-snapshot',
        data: { 'data-collections': [`${fx.schema}.small`] },
      }),
    },
    {
      key: fx.prefix,
      value: JSON.stringify({
        type: 'execute-snapshot',
        data: { 'data-collections': [`${fx.schema}.tiny`], type: 'INCREMENTAL' },
      }),
    },
  ]);
  const messages = await readChanges(fx.topic('tiny'), 2);
  assert.deepEqual(
    messages.map((m) => {
      const value = m.value as unknown as Record<string, unknown>;
      return [value['op'], (value['source'] as Record<string, unknown>)['snapshot'], value['after']];
    }),
    [
      ['r', 'incremental', { id: 1, word: 'x' }],
      ['r', 'incremental', { id: 2, word: 'y' }],
    ],
  );
  assert.equal(
    await topicSize(fx.topic('small')),
    smallBefore,
    'the signal keyed for another connector was ignored',
  );
});

test('cancelling a snapshot job stops the snapshot in the connector (stop-snapshot)', async () => {
  const submitted = await worker.rest<JobBody>('POST', '/jobs', {
    type: 'snapshot',
    config: { connector, 'data-collections': [`${fx.schema}.cancelled`] },
  });
  assert.equal(submitted.status, 202, submitted.text);
  const id = submitted.body.id;
  await waitFor(async () => (await job(id)).progress.records > 0, 60_000, 'the snapshot under way');
  assert.equal((await worker.rest('DELETE', `/jobs/${id}`)).status, 202);
  await waitFor(async () => (await job(id)).state === 'cancelled', 30_000, 'the job cancelled');
  // The unit sees the cancel at its next checkpoint, and signals the connector.
  const stop = await waitFor(
    async () =>
      (
        await fx.db.query<{ type: string }>(`SELECT type FROM ${fx.schema}.debezium_signal WHERE id = $1`, [
          `${id}-stop`,
        ])
      ).rows[0] ?? false,
    30_000,
    'the stop-snapshot signal',
  );
  assert.equal(stop.type, 'stop-snapshot');
  // The connector's offsets show the snapshot ended, with no table left to read.
  const offsets = await waitFor(
    async () => {
      const reply = await worker.rest<{ offsets: { offset: Record<string, unknown> }[] }>(
        'GET',
        `/connectors/${connector}/offsets`,
      );
      const offset = reply.body.offsets[0]?.offset ?? {};
      const completed = JSON.parse(String(offset['incremental_snapshot_completed'] ?? '[]')) as string[];
      return completed.includes(id) ? offset : false;
    },
    30_000,
    'the stopped snapshot in the offsets',
  );
  assert.equal(offsets['incremental_snapshot_collections'], undefined);
});

test('a stop-snapshot signal right after the execute-snapshot stops it before any row is emitted', async () => {
  const { db, schema } = fx;
  const insert = `INSERT INTO ${schema}.debezium_signal (id, type, data) VALUES ($1, $2, $3)`;
  const data = JSON.stringify({ 'data-collections': [`${schema}.stopped`], type: 'incremental' });
  await db.query('BEGIN');
  await db.query(insert, ['stop-me', 'execute-snapshot', data]);
  await db.query(insert, ['stop-me-stop', 'stop-snapshot', data]);
  await db.query('COMMIT');
  await waitFor(
    async () => {
      const reply = await worker.rest<{ offsets: { offset: Record<string, unknown> }[] }>(
        'GET',
        `/connectors/${connector}/offsets`,
      );
      const offset = reply.body.offsets[0]?.offset ?? {};
      return (JSON.parse(String(offset['incremental_snapshot_completed'] ?? '[]')) as string[]).includes(
        'stop-me',
      );
    },
    30_000,
    'the stopped snapshot in the offsets',
  );
  // The window the snapshot had opened is never closed: none of its rows is emitted.
  await db.query(insert, ['after-stop', 'heartbeat-like', '{}']);
  await waitFor(
    async () =>
      (await readChanges(fx.topic('debezium_signal'), await topicSize(fx.topic('debezium_signal')))).some(
        (m) => (m.value as unknown as { after?: { id?: string } } | null)?.after?.id === 'after-stop',
      ),
    30_000,
    'a later signal row streamed',
  );
  assert.equal(await topicSize(fx.topic('stopped')).catch(() => 0), 0);
});

test('a Kafka signal sent while the connector is stopped is taken when it starts; one handled before is not taken again', async () => {
  const tinyBefore = await topicSize(fx.topic('tiny'));
  assert.equal((await worker.rest('PUT', `/connectors/${connector}/stop`)).status, 204);
  await waitFor(
    async () => (await worker.status(connector)).connector.state === 'STOPPED',
    30_000,
    'the connector stopped',
  );
  await produce(signalTopic(), [
    {
      key: fx.prefix,
      value: JSON.stringify({
        type: 'execute-snapshot',
        data: { 'data-collections': [`${fx.schema}.later`], type: 'INCREMENTAL' },
      }),
    },
  ]);
  assert.equal((await worker.rest('PUT', `/connectors/${connector}/resume`)).status, 202);
  await worker.waitForState(connector, 'RUNNING', 1);
  const messages = await readChanges(fx.topic('later'), 2, 60_000);
  assert.deepEqual(
    messages.map((m) => (m.value as unknown as { after: unknown }).after),
    [
      { id: 7, word: 'p' },
      { id: 8, word: 'q' },
    ],
  );
  await sleep(2_000);
  assert.equal(
    await topicSize(fx.topic('tiny')),
    tinyBefore,
    'the signal handled before the stop was not taken again',
  );
});
