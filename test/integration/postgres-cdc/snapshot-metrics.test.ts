// What an operator watches during a 100k-row CDC snapshot through a real worker: the progress lines
// (started with the estimate, rows done of it with rate and time left, done) and Debezium's snapshot
// metrics on GET /metrics while it runs and after it completed; then the streaming metrics once changes
// flow. The connector starts PAUSED, so the snapshot is held mid-table (bounded by max.queue.size) for
// as long as the test needs to look at it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { topicSize } from '../../support/kafka-test-client.js';
import { sleep, waitFor, WorkerProcess } from '../../support/worker-process.js';
import { cdcFixture, type CdcFixture } from './cdc-fixture.js';

const ROWS = 100_000;
const QUEUE = 2_000;
const FETCH = 1_000;

let fx: CdcFixture;
let worker: WorkerProcess;

before(async () => {
  fx = await cdcFixture('snapmetrics');
  worker = await WorkerProcess.start();
});

after(async () => {
  await worker?.terminate().catch(() => undefined);
  await worker?.dispose();
  await fx?.cleanup();
});

function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** The messages the worker logged, in order (the worker logs JSON lines without a TTY). */
function loggedMessages(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => String((JSON.parse(l) as { msg?: unknown }).msg ?? ''));
}

test('progress lines and Debezium snapshot metrics during a 100k-row snapshot, then streaming metrics', async () => {
  const { db, schema } = fx;
  const table = `${schema}.big`;
  await db.query(`CREATE TABLE ${table} (id int PRIMARY KEY, note text NOT NULL)`);
  await db.query(`INSERT INTO ${table} SELECT g, 'row ' || g FROM generate_series(1, ${ROWS}) g`);
  await db.query(`ANALYZE ${table}`);
  const name = `cdc-${fx.suffix}`;
  const created = await worker.rest('POST', '/connectors', {
    name,
    config: fx.connectorConfig({
      'max.queue.size': String(QUEUE),
      'max.batch.size': '500',
      'snapshot.fetch.size': String(FETCH),
    }),
    initial_state: 'PAUSED',
  });
  assert.equal(created.status, 201, created.text);

  const snap = `connector="${name}",task="0",plugin="postgres",name="${fx.prefix}",context="snapshot"`;
  const stream = `connector="${name}",task="0",plugin="postgres",name="${fx.prefix}",context="streaming"`;
  const scrape = async (): Promise<string> => (await fetch(`${worker.url}/metrics`)).text();
  const rowsScanned = (text: string): number =>
    valueOf(text, `debezium_metrics_RowsScanned{${snap},table="${table}"}`) ?? -1;

  // Paused: the task reads until the queue is full, then waits with the snapshot running.
  let text = await waitFor(
    async () => {
      const scraped = await scrape();
      return rowsScanned(scraped) >= QUEUE ? scraped : false;
    },
    60_000,
    'the paused snapshot to fill the queue',
    250,
  );
  await sleep(6_000); // longer than the progress interval (5 s), and a chance to read past the queue
  text = await scrape();
  assert.equal(valueOf(text, `debezium_metrics_SnapshotRunning{${snap}}`), 1);
  assert.equal(valueOf(text, `debezium_metrics_SnapshotCompleted{${snap}}`), 0);
  assert.equal(valueOf(text, `debezium_metrics_TotalTableCount{${snap}}`), 1);
  assert.equal(valueOf(text, `debezium_metrics_RemainingTableCount{${snap}}`), 1);
  const held = rowsScanned(text);
  assert.ok(held <= QUEUE + FETCH, `a paused snapshot reads no further than the queue holds (read ${held})`);
  assert.equal(valueOf(text, `debezium_metrics_TotalNumberOfEventsSeen{${snap}}`), held);
  assert.equal(valueOf(text, `debezium_metrics_QueueTotalCapacity{${snap}}`), QUEUE);
  assert.ok((valueOf(text, `debezium_metrics_QueueRemainingCapacity{${snap}}`) ?? -1) <= 0, 'queue full');

  assert.equal((await worker.rest('PUT', `/connectors/${name}/resume`)).status, 202);
  text = await waitFor(
    async () => {
      const scraped = await scrape();
      return valueOf(scraped, `debezium_metrics_SnapshotCompleted{${snap}}`) === 1 ? scraped : false;
    },
    180_000,
    'the snapshot to complete',
    500,
  );
  assert.equal(rowsScanned(text), ROWS);
  assert.equal(valueOf(text, `debezium_metrics_TotalNumberOfEventsSeen{${snap}}`), ROWS);
  assert.equal(valueOf(text, `debezium_metrics_RemainingTableCount{${snap}}`), 0);
  assert.equal(valueOf(text, `debezium_metrics_SnapshotRunning{${snap}}`), 0);
  assert.equal(valueOf(text, `debezium_metrics_SnapshotAborted{${snap}}`), 0);
  assert.ok(
    (valueOf(text, `debezium_metrics_SnapshotDurationInSeconds{${snap}}`) ?? 0) >= 6,
    'the duration covers the time the snapshot was held',
  );
  await waitFor(async () => (await topicSize(fx.topic('big'))) === ROWS, 120_000, `${ROWS} snapshot records`);

  const messages = loggedMessages(worker.output);
  assert.ok(
    messages.includes(`Snapshot of ${table} started (table 1 of 1, about ${ROWS} row(s))`),
    'a start line with the estimate',
  );
  const progress = messages.filter((m) =>
    new RegExp(
      `^Snapshot of ${table}: \\d+ row\\(s\\) of about ${ROWS} \\(\\d+%\\), \\d+ rows/s, about \\d+ s left$`,
    ).test(m),
  );
  assert.ok(progress.length >= 1, `progress lines between start and end: ${progress.join(' | ')}`);
  assert.ok(
    messages.some((m) => new RegExp(`^Snapshot of ${table} done: ${ROWS} row\\(s\\) in [\\d.]+ s$`).test(m)),
    'a done line with the row count',
  );

  // Streaming: one transaction of three inserts, then one update.
  await db.query(`INSERT INTO ${table} VALUES (${ROWS + 1}, 'a'), (${ROWS + 2}, 'b'), (${ROWS + 3}, 'c')`);
  await db.query(`UPDATE ${table} SET note = 'changed' WHERE id = 1`);
  let last = '';
  text = await waitFor(
    async () => {
      last = await scrape();
      return valueOf(last, `debezium_metrics_TotalNumberOfEventsSeen{${stream}}`) === 4 ? last : false;
    },
    60_000,
    'four streamed change events',
    250,
  ).catch((error: unknown) => {
    const streaming = last.split('\n').filter((l) => l.includes('context="streaming"'));
    const logged = loggedMessages(worker.output).slice(-10);
    throw new Error(
      `${String(error)}; streaming metrics: ${streaming.join('; ')}; log: ${logged.join(' | ')}`,
    );
  });
  assert.equal(valueOf(text, `debezium_metrics_TotalNumberOfCreateEventsSeen{${stream}}`), 3);
  assert.equal(valueOf(text, `debezium_metrics_TotalNumberOfUpdateEventsSeen{${stream}}`), 1);
  assert.equal(valueOf(text, `debezium_metrics_TotalNumberOfDeleteEventsSeen{${stream}}`), 0);
  assert.equal(valueOf(text, `debezium_metrics_Connected{${stream}}`), 1);
  assert.ok((valueOf(text, `debezium_metrics_NumberOfCommittedTransactions{${stream}}`) ?? 0) >= 2);
  assert.ok((valueOf(text, `debezium_metrics_MilliSecondsBehindSource{${stream}}`) ?? -1) >= 0);
  assert.ok((valueOf(text, `debezium_metrics_MilliSecondsSinceLastEvent{${stream}}`) ?? -1) >= 0);
  assert.equal(
    valueOf(text, `debezium_metrics_TotalNumberOfEventsSeen{${snap}}`),
    ROWS,
    'streamed events are not counted as snapshot events',
  );
});
