// `sluice jobs` against a real worker (Redis, PostgreSQL, Kafka), as an operator runs it: start a backfill from
// a .properties file and from a .json file, list it in every output format, and watch it: in a pseudo-terminal
// (util-linux `script`) the watch redraws a progress bar with rate and ETA; through a pipe it writes plain
// lines without control characters. A watched job that is cancelled exits 1; a usage error 2; no worker 3.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { parse } from 'yaml';
import { PG_URL, REDIS_URL } from '../../support/endpoints.js';
import { deleteTopics } from '../../support/kafka-test-client.js';
import { freePort, runCli, SLUICE_BIN, uniqueName, WorkerProcess } from '../../support/worker-process.js';
import type { JobBody } from './job-client.js';

const ROWS = 6_000;

const table = uniqueName('clijob').replace(/-/g, '_');
const prefix = uniqueName('clijob');
const db = new pg.Client({ connectionString: PG_URL });
let worker: WorkerProcess;
const sluice = (...args: string[]) => runCli([...args, '--url', worker.url], 60_000);

function backfillProperties(rate: number): string {
  const url = new URL(PG_URL);
  return [
    `database.hostname=${url.hostname}`,
    `database.port=${url.port || '5432'}`,
    `database.user=${decodeURIComponent(url.username)}`,
    `database.dbname=${url.pathname.slice(1)}`,
    `topic.prefix=${prefix}`,
    `table=public.${table}`,
    'chunk.size=2000',
    'fetch.size=250',
    `max.records.per.second=${rate}`,
  ].join('\n');
}

/** Runs the CLI inside a pseudo-terminal, as a person at a terminal would; the terminal's output as text. */
function inTerminal(args: readonly string[]): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, SLUICE_BIN, ...args]
    .map((a) => `'${a.replace(/'/g, `'\\''`)}'`)
    .join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/script', ['-qec', command, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

before(async () => {
  await db.connect();
  await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text)`);
  await db.query(`INSERT INTO ${table} SELECT g, 'row ' || g FROM generate_series(1, ${ROWS}) g`);
  worker = await WorkerProcess.start({
    properties: {
      'redis.url': REDIS_URL,
      'jobs.queue.prefix': uniqueName('jobs-cli'),
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
    },
  });
});

after(async () => {
  await worker?.dispose();
  await db.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
  await db.end();
  await deleteTopics([`${prefix}.public.${table}`]).catch(() => undefined);
});

test('jobs start from a .properties file, then watch in a terminal draws a live bar with rate and ETA', async () => {
  const file = join(worker.dir, 'backfill.properties');
  await writeFile(file, backfillProperties(600));
  const started = await sluice('jobs', 'start', 'backfill', file, '-o', 'json');
  assert.equal(started.code, 0, started.stderr);
  const job = JSON.parse(started.stdout) as JobBody;
  assert.equal(job.type, 'backfill');
  // Three chunks of 2000 rows and the open tail after the last key.
  assert.equal(job.progress.units_total, 4);

  const watched = await inTerminal(['jobs', 'watch', job.id, '--url', worker.url, '--interval', '0.3']);
  assert.equal(watched.code, 0, watched.output);
  // Redrawn in place: carriage returns and erase-line between frames, a bar of filled and empty cells.
  const frames = watched.output.split('\r\x1b[2K').filter((f) => f.startsWith('['));
  assert.ok(frames.length >= 3, `at least three frames:\n${JSON.stringify(watched.output)}`);
  const moving = frames.find((f) => /^\[█+░+\]\s+\d+%/.test(f));
  assert.ok(moving !== undefined, `a part-filled bar:\n${frames.join('\n')}`);
  assert.match(
    moving,
    /\d+(\.\d)?k?\/6\.0k records {2}\d+(\.\d)?k? rec\/s {2}ETA (\d+m)?\d+s {2}units \d\/4 {2}active/,
  );
  assert.match(frames[frames.length - 1]!, /^\[█+\] {2}100% {2}6\.0k\/6\.0k records/);
  assert.match(watched.output, new RegExp(`job ${job.id} completed: ${ROWS} record\\(s\\) in \\d+s`));
});

test('without a terminal, watch writes plain lines; list shows the jobs in every format', async () => {
  const file = join(worker.dir, 'backfill.json');
  const config = Object.fromEntries(
    backfillProperties(2000)
      .split('\n')
      .map((l) => l.split('=') as [string, string]),
  );
  await writeFile(file, JSON.stringify({ type: 'backfill', config: { ...config, 'chunk.size': 3000 } }));
  const started = await sluice('jobs', 'start', 'backfill', file);
  assert.equal(started.code, 0, started.stderr);
  const id = /^job (\S+) \(backfill\) (?:waiting|active)/.exec(started.stdout)?.[1];
  assert.ok(id !== undefined, started.stdout);

  const watched = await sluice('jobs', 'watch', id, '--interval', '0.3');
  assert.equal(watched.code, 0, watched.stderr);
  assert.doesNotMatch(watched.stdout, /[\r█]/);
  assert.ok(!watched.stdout.includes('\x1b'), 'no escape sequences');
  const lines = watched.stdout.trim().split('\n');
  assert.ok(lines.length >= 3, watched.stdout);
  for (const line of lines.slice(0, -1))
    assert.match(
      line,
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT\\S+Z job ${id} (waiting|active|completed) \\d+% records=\\d+/${ROWS} rate=[\\d.]+/s eta=\\S+ units=\\d/3$`,
      ),
    );
  assert.ok(
    lines.some((l) => / active \d+% /.test(l)),
    watched.stdout,
  );
  assert.match(lines.at(-1)!, new RegExp(`^job ${id} completed: ${ROWS} record\\(s\\)`));

  const table = await sluice('jobs', 'list');
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^ID\s+TYPE\s+STATE\s+DONE\s+RECORDS\s+RATE\s+ETA\s+CREATED$/m);
  assert.match(
    table.stdout,
    new RegExp(`^${id}\\s+backfill\\s+completed\\s+100%\\s+${ROWS}/${ROWS}\\s`, 'm'),
  );
  const yaml = parse((await sluice('jobs', 'list', '-o', 'yaml')).stdout) as JobBody[];
  assert.deepEqual(
    yaml.map((j) => [j.type, j.state, j.progress.records]),
    [
      ['backfill', 'completed', ROWS],
      ['backfill', 'completed', ROWS],
    ],
  );
  const json = JSON.parse((await sluice('jobs', 'list', '-o', 'json')).stdout) as JobBody[];
  assert.equal(json[1]?.id, id);
});

test('a cancelled watched job exits 1, a usage error 2, no worker 3, a refused start 1', async () => {
  const file = join(worker.dir, 'bad.properties');
  await writeFile(
    file,
    backfillProperties(0).replace(`table=public.${table}`, 'table=public.no_such_cli_table'),
  );
  const refused = await sluice('jobs', 'start', 'backfill', file);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /no_such_cli_table does not exist.*\(HTTP 400\)/);

  const usage = await sluice('jobs', 'start', 'backfill');
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /missing job config file/);

  const unknown = await sluice('jobs', 'watch', 'no-such-job');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /no-such-job not found \(HTTP 404\)/);

  const gone = await runCli(['jobs', 'list', '--url', `http://127.0.0.1:${await freePort()}`]);
  assert.equal(gone.code, 3);

  // A cancelled job did not complete: watching it exits 1 after saying how it ended.
  const slowFile = join(worker.dir, 'slow.properties');
  await writeFile(slowFile, backfillProperties(200));
  const slow = await sluice('jobs', 'start', 'backfill', slowFile, '-o', 'json');
  assert.equal(slow.code, 0, slow.stderr);
  const slowId = (JSON.parse(slow.stdout) as JobBody).id;
  const cancelled = await sluice('jobs', 'cancel', slowId);
  assert.equal(cancelled.code, 0, cancelled.stderr);
  assert.match(cancelled.stdout, new RegExp(`^job ${slowId} cancelled`));
  const watched = await sluice('jobs', 'watch', slowId);
  assert.equal(watched.code, 1, watched.stdout + watched.stderr);
  assert.match(watched.stdout, new RegExp(`^job ${slowId} cancelled: \\d+ record\\(s\\)`, 'm'));
  assert.equal(watched.stderr, '');
});
