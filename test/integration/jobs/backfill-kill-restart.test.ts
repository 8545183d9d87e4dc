// A 200k-row PostgreSQL backfill on one worker killed with kill -9 mid-job and restarted: the restarted worker
// resumes every unfinished chunk from its last checkpoint. Every row is on the topic; the duplicates are only
// rows of the pages in flight at the kill (at most one page per running chunk, consecutive keys), no more than
// the job's result reports. GET /metrics shows the job counts by state and the records and bytes per type.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PG_URL, REDIS_URL } from '../../support/endpoints.js';
import { deleteTopics, readTopic } from '../../support/kafka-test-client.js';
import { uniqueName, WorkerProcess } from '../../support/worker-process.js';
import { jobCompleted, jobPast, type JobBody } from './job-client.js';

const ROWS = 200_000;
const CHUNK = 20_000;
const FETCH = 1_000;
/** jobs.concurrency: chunks running at once on the worker, so pages in flight at the kill. */
const CONCURRENCY = 2;

const table = uniqueName('bfkill').replace(/-/g, '_');
const prefix = uniqueName('bfkill');
const topic = `${prefix}.public.${table}`;
const db = new pg.Client({ connectionString: PG_URL });
let worker: WorkerProcess;

/** The value of one sample of a Prometheus text exposition, or null when absent. */
function sample(metrics: string, name: string, labels: string): number | null {
  const line = metrics.split('\n').find((l) => l.startsWith(`${name}{${labels}} `));
  return line === undefined ? null : Number(line.slice(line.lastIndexOf(' ') + 1));
}

before(async () => {
  await db.connect();
  await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text, amount numeric(12,2))`);
  await db.query(`INSERT INTO ${table} SELECT g, 'row ' || g, g / 100.0 FROM generate_series(1, ${ROWS}) g`);
  worker = await WorkerProcess.start({
    properties: {
      'redis.url': REDIS_URL,
      'jobs.queue.prefix': uniqueName('jobs-bfkill'),
      'jobs.lock.duration.ms': '3000',
      'jobs.concurrency': String(CONCURRENCY),
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
    },
  });
});

after(async () => {
  await worker?.dispose();
  await db.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  await db.end();
  await deleteTopics([topic]).catch(() => undefined);
});

test('a 200k-row backfill whose only worker is killed and restarted resumes from its checkpoints', async () => {
  const url = new URL(PG_URL);
  const submitted = await worker.rest<JobBody>('POST', '/jobs', {
    type: 'backfill',
    config: {
      'database.hostname': url.hostname,
      'database.port': url.port || '5432',
      'database.user': decodeURIComponent(url.username),
      'database.dbname': url.pathname.slice(1),
      'topic.prefix': prefix,
      table: `public.${table}`,
      'chunk.size': String(CHUNK),
      'fetch.size': String(FETCH),
    },
  });
  assert.equal(submitted.status, 202, submitted.text);
  const id = submitted.body.id;
  // Ten chunks of 20,000 rows and the open tail after the last key.
  assert.equal(submitted.body.progress.units_total, ROWS / CHUNK + 1);
  const beforeKill = await jobPast(worker, id, 40_000, 60_000);
  await worker.kill9();
  await worker.start();
  const done = await jobCompleted(worker, id, 180_000, 'the restarted worker to complete the backfill');
  assert.ok(beforeKill.progress.records < ROWS, 'the worker was killed mid-job');
  // Pages produced after their chunk's last checkpoint (zero when the kill fell between pages).
  const reported = done.progress.possible_duplicates;
  assert.ok(reported <= CONCURRENCY * FETCH, `${reported} possible duplicates reported`);
  assert.equal(done.result?.possible_duplicates, reported);
  // Records count once: those re-sent after the resume replace the ones in flight at the kill.
  assert.equal(done.result?.records, ROWS);

  const messages = await readTopic(topic, ROWS, 120_000);
  const ids = messages.map((m) => (JSON.parse(m.key!.toString()) as { id: number }).id);
  const seen = new Map<number, number>();
  for (const i of ids) seen.set(i, (seen.get(i) ?? 0) + 1);
  assert.equal(seen.size, ROWS, 'every row is on the topic');
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([i]) => i);
  assert.ok(
    duplicated.length <= reported,
    `${duplicated.length} duplicated rows, at most the ${reported} reported`,
  );
  assert.ok(
    [...seen.values()].every((n) => n <= 2),
    'no row more than twice',
  );
  // Pages are read in key order: the rows of a page in flight are consecutive ids, so the duplicates form at
  // most one run of consecutive ids per running chunk, each no longer than a page.
  const runs: number[][] = [];
  for (const i of duplicated.sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last !== undefined && last[last.length - 1] === i - 1) last.push(i);
    else runs.push([i]);
  }
  assert.ok(
    runs.length <= CONCURRENCY,
    `duplicates in ${runs.length} runs: ${runs.map((r) => `${r[0]}-${r.at(-1)}`).join(', ')}`,
  );
  for (const run of runs) assert.ok(run.length <= FETCH, `a run of ${run.length} duplicated ids`);

  const metrics = (await worker.rest('GET', '/metrics')).text;
  assert.equal(sample(metrics, 'sluice_jobs', 'state="completed"'), 1);
  for (const state of ['waiting', 'active', 'failed', 'cancelled'])
    assert.equal(sample(metrics, 'sluice_jobs', `state="${state}"`), 0, state);
  // Counted by this (restarted) process: the rows after the last checkpoints before the kill (the re-sent
  // pages among them), which were at least those checkpointed when the test last looked.
  const records = sample(metrics, 'sluice_job_records_total', 'type="backfill"');
  const bytes = sample(metrics, 'sluice_job_bytes_total', 'type="backfill"');
  assert.ok(records !== null && records > 0, `records ${records}`);
  assert.ok(records <= ROWS - beforeKill.progress.records, `records ${records}`);
  assert.ok(records >= reported, `records ${records}`);
  assert.ok(bytes !== null && bytes > records * 20, `bytes ${bytes}`);
});
