// Jobs on a real Redis, PostgreSQL and Kafka, two workers sharing one queue: a PostgreSQL backfill survives
// kill -9 of one of them (the other resumes its units: every row arrives, duplicates only from the pages in
// flight), a cancelled job stops and a retried one finishes, and bad
// input gets a 400 naming the problem; a backfill of a SELECT loads the rows it chooses and no other.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PG_URL, REDIS_URL } from '../../support/endpoints.js';
import { readTopic, deleteTopics } from '../../support/kafka-test-client.js';
import { sleep, uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';
import { jobCompleted, jobOf, jobPast, type JobBody } from './job-client.js';

const ROWS = 10_000;
const FETCH = 500;

const table = uniqueName('bf').replace(/-/g, '_');
const prefixes = [uniqueName('bf'), uniqueName('bf'), uniqueName('bf')];
const db = new pg.Client({ connectionString: PG_URL });
let worker: WorkerProcess;
/** A second worker on the same queue: it runs units too, and resumes those of a killed worker. */
let other: WorkerProcess;

function backfillConfig(topicPrefix: string, extra: Record<string, string> = {}): Record<string, string> {
  const url = new URL(PG_URL);
  return {
    'database.hostname': url.hostname,
    'database.port': url.port || '5432',
    'database.user': decodeURIComponent(url.username),
    'database.dbname': url.pathname.slice(1),
    'topic.prefix': topicPrefix,
    table: `public.${table}`,
    'fetch.size': String(FETCH),
    ...extra,
  };
}

const job = (id: string, via: WorkerProcess = worker): Promise<JobBody> => jobOf(via, id);

async function submit(config: Record<string, string>): Promise<string> {
  const reply = await worker.rest<JobBody>('POST', '/jobs', { type: 'backfill', config });
  assert.equal(reply.status, 202, reply.text);
  return reply.body.id;
}

/** The key ids and values of the topic's records (at least `atLeast` of them). */
async function recordsOn(topic: string, atLeast: number): Promise<{ ids: number[]; values: unknown[] }> {
  const messages = await readTopic(topic, atLeast, 30_000);
  return {
    ids: messages.map((m) => (JSON.parse(m.key!.toString()) as { id: number }).id),
    values: messages.map((m) => JSON.parse(m.value!.toString()) as unknown),
  };
}

before(async () => {
  await db.connect();
  await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text, amount numeric(10,2))`);
  await db.query(`INSERT INTO ${table} SELECT g, 'row ' || g, g / 100.0 FROM generate_series(1, ${ROWS}) g`);
  const properties = {
    'redis.url': REDIS_URL,
    'jobs.queue.prefix': uniqueName('jobs-it'),
    'jobs.lock.duration.ms': '3000',
    'key.converter.schemas.enable': 'false',
    'value.converter.schemas.enable': 'false',
  };
  [worker, other] = await Promise.all([
    WorkerProcess.start({ properties }),
    WorkerProcess.start({ properties }),
  ]);
});

after(async () => {
  await Promise.all([worker?.dispose(), other?.dispose()]);
  await db.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  await db.end();
  await deleteTopics(prefixes.map((p) => `${p}.public.${table}`)).catch(() => undefined);
});

test('bad job requests get a 400 naming the problem, and nothing is queued', async () => {
  const missing = await worker.rest<{ message: string }>('POST', '/jobs', { config: {} });
  assert.equal(missing.status, 400);
  assert.match(missing.body.message, /'type' is required/);

  const unknownType = await worker.rest<{ message: string }>('POST', '/jobs', { type: 'nope', config: {} });
  assert.equal(unknownType.status, 400);
  assert.match(unknownType.body.message, /Unknown job type 'nope'.*backfill/);

  const noTable = backfillConfig('x');
  delete noTable['table'];
  const noTableReply = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'backfill',
    config: noTable,
  });
  assert.equal(noTableReply.status, 400);
  assert.match(noTableReply.body.message, /'table' is required/);

  const badTable = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'backfill',
    config: { ...backfillConfig('x'), table: 'public.no_such_table_here' },
  });
  assert.equal(badTable.status, 400);
  assert.match(badTable.body.message, /no_such_table_here does not exist/);

  assert.equal((await worker.rest('GET', '/jobs/no-such-job')).status, 404);
  assert.deepEqual((await worker.rest<JobBody[]>('GET', '/jobs')).body, []);
});

test('a backfill whose worker is killed mid-job is resumed by the other from its checkpoints: every row arrives', async () => {
  const topic = `${prefixes[0]}.public.${table}`;
  const id = await submit(
    backfillConfig(prefixes[0]!, { 'chunk.size': '2500', 'max.records.per.second': '1000' }),
  );
  const beforeKill = await jobPast(worker, id, 2000, 30_000);
  await worker.kill9();
  const done = await jobCompleted(other, id, 60_000, 'the other worker to complete the backfill');
  await worker.start();
  assert.equal(done.progress.records, ROWS);
  // Four chunks of 2500 rows, and the open tail after the last key (for rows inserted meanwhile).
  assert.equal(done.progress.units_total, 5);
  assert.equal(done.progress.units_done, 5);
  assert.equal(done.result?.records, ROWS);
  assert.ok(beforeKill.progress.records < ROWS, 'the worker was killed mid-job');

  const { ids, values } = await recordsOn(topic, ROWS);
  assert.equal(new Set(ids).size, ROWS, 'every row is on the topic');
  const duplicates = ids.length - ROWS;
  assert.ok(
    duplicates <= done.progress.possible_duplicates,
    `${duplicates} duplicates, at most the ${done.progress.possible_duplicates} reported`,
  );
  // Concurrency 2: at most one page in flight per running unit was produced again.
  assert.ok(duplicates <= 2 * FETCH, `${duplicates} duplicates`);
  const value = values[0] as Record<string, unknown>;
  assert.equal(value['op'], 'r');
  assert.deepEqual(Object.keys(value['after'] as object), ['id', 'name', 'amount']);
});

test('a cancelled backfill stops; retried, it finishes without redoing what was done', async () => {
  const topic = `${prefixes[1]}.public.${table}`;
  const id = await submit(
    backfillConfig(prefixes[1]!, { 'chunk.size': '5000', 'max.records.per.second': '1000' }),
  );
  await waitFor(async () => (await job(id)).progress.records > 0, 30_000, 'records before the cancel');
  assert.equal((await worker.rest('DELETE', `/jobs/${id}`)).status, 202);
  await waitFor(async () => (await job(id)).state === 'cancelled', 10_000, 'state cancelled');
  await sleep(1500);
  const stopped = (await job(id)).progress.records;
  await sleep(1500);
  assert.equal((await job(id)).progress.records, stopped, 'no records after the cancel took effect');
  assert.ok(stopped < ROWS);

  const retried = await worker.rest<JobBody>('POST', `/jobs/${id}/retry`);
  assert.equal(retried.status, 202, retried.text);
  const conflict = await worker.rest<{ message: string }>('POST', `/jobs/${id}/retry`);
  assert.equal(conflict.status, 409);
  const done = await jobCompleted(worker, id, 40_000, 'the retried backfill to complete');
  assert.equal(done.progress.records, ROWS);
  assert.equal(new Set((await recordsOn(topic, ROWS)).ids).size, ROWS);

  const list = await worker.rest<JobBody[]>('GET', '/jobs');
  assert.deepEqual(
    list.body.map((j) => j.state),
    ['completed', 'completed'],
  );
  const metrics = await Promise.all([worker, other].map(async (w) => (await w.rest('GET', '/metrics')).text));
  for (const text of metrics) assert.match(text, /sluice_jobs\{state="completed"\} 2/);
  assert.match(metrics.join('\n'), /sluice_job_records_total\{type="backfill"\} \d+/);
});

test("a backfill of a SELECT loads exactly the rows it chooses, with the table's record shape", async () => {
  const query = `SELECT * FROM public.${table} WHERE id % 3 = 0;`;
  const narrow = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'backfill',
    config: backfillConfig(prefixes[2]!, { query: `SELECT id, name FROM public.${table}` }),
  });
  assert.equal(narrow.status, 400, narrow.text);
  assert.match(narrow.body.message, /query must return the columns of .*missing: amount/);
  const broken = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'backfill',
    config: backfillConfig(prefixes[2]!, { query: `SELECT * FROM public.${table} WHERE no_such_column = 1` }),
  });
  assert.equal(broken.status, 400, broken.text);
  assert.match(broken.body.message, /query does not run .*no_such_column/);

  const chosen = Math.floor(ROWS / 3);
  const id = await submit(backfillConfig(prefixes[2]!, { query, 'chunk.size': '1000' }));
  const done = await jobCompleted(worker, id, 60_000, 'the SELECT backfill to complete');
  assert.equal(done.progress.records, chosen);
  const { ids, values } = await recordsOn(`${prefixes[2]}.public.${table}`, chosen);
  assert.equal(ids.length, chosen, 'no row twice, none outside the SELECT');
  assert.ok(
    ids.every((n) => n % 3 === 0),
    'only the rows the SELECT chose',
  );
  assert.equal(new Set(ids).size, chosen);
  const first = values[0] as { op: string; after: { id: number; name: string; amount: unknown } };
  assert.equal(first.op, 'r');
  assert.equal(first.after.name, `row ${first.after.id}`);
});
