// `backfill` with source=cassandra on a real Cassandra, Redis and Kafka: a 100k-row table (partitions of many
// clustering rows, so pages end inside partitions) is read by token ranges into a topic, its worker killed
// with kill -9 mid-job and restarted: the job resumes each range from the paging state it checkpointed, every
// row arrives, and the duplicates are at most the pages in flight, as many as the job reports. Bad input (an
// unknown table, a missing data center) is a 400 naming the problem.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import cassandra from 'cassandra-driver';
import { CASSANDRA_LOCAL_DC, cassandraContactPoints, REDIS_URL } from '../../support/endpoints.js';
import { TestKeyspace } from '../../support/cassandra-keyspace.js';
import { deleteTopics, readTopic } from '../../support/kafka-test-client.js';
import { uniqueName, WorkerProcess } from '../../support/worker-process.js';
import { jobCompleted, jobPast, type JobBody } from './job-client.js';

const ROWS = 100_000;
/** Rows per partition: a page of FETCH rows ends inside a partition. */
const PER_PARTITION = 40;
const FETCH = 500;
const RANGES = 8;

let keyspace: TestKeyspace;
let worker: WorkerProcess;
const topic = uniqueName('cbf');

function backfillConfig(extra: Record<string, string> = {}): Record<string, string> {
  return {
    source: 'cassandra',
    contactPoints: cassandraContactPoints().join(','),
    'loadBalancing.localDc': CASSANDRA_LOCAL_DC,
    keyspace: keyspace.name,
    table: 'orders',
    topic,
    'token.ranges': String(RANGES),
    'fetch.size': String(FETCH),
    ...extra,
  };
}

before(async () => {
  keyspace = await TestKeyspace.create('cbf');
  const { client, name } = keyspace;
  await client.execute(
    `CREATE TABLE ${name}.orders (customer int, id int, item text, qty bigint, price decimal, at timestamp, tags set<text>, PRIMARY KEY ((customer), id))`,
  );
  const rows = Array.from({ length: ROWS }, (_, i) => [
    Math.floor(i / PER_PARTITION),
    i,
    `item ${i}`,
    cassandra.types.Long.fromNumber(i * 3),
    cassandra.types.BigDecimal.fromString(`${i}.25`),
    new Date(1_700_000_000_000 + i),
    i % 2 === 0 ? ['even'] : ['odd', 'x'],
  ]);
  await cassandra.concurrent.executeConcurrent(
    client,
    `INSERT INTO ${name}.orders (customer, id, item, qty, price, at, tags) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    rows,
    { concurrencyLevel: 64, executionProfile: undefined, raiseOnFirstError: true },
  );
  worker = await WorkerProcess.start({
    properties: {
      'redis.url': REDIS_URL,
      'jobs.queue.prefix': uniqueName('jobs-cbf'),
      'jobs.lock.duration.ms': '3000',
      'key.converter.schemas.enable': 'false',
      'value.converter.schemas.enable': 'false',
    },
  });
});

after(async () => {
  await worker?.dispose();
  await keyspace?.drop();
  await deleteTopics([topic]).catch(() => undefined);
});

test('bad Cassandra backfill requests get a 400 naming the problem', async () => {
  const unknown = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'backfill',
    config: backfillConfig({ table: 'no_such_table' }),
  });
  assert.equal(unknown.status, 400, unknown.text);
  assert.match(unknown.body.message, new RegExp(`table ${keyspace.name}\\.no_such_table does not exist`));

  const noDc = backfillConfig();
  delete noDc['loadBalancing.localDc'];
  const missing = await worker.rest<{ message: string }>('POST', '/jobs', { type: 'backfill', config: noDc });
  assert.equal(missing.status, 400);
  assert.match(missing.body.message, /'loadBalancing\.localDc' is required/);

  const badSource = await worker.rest<{ message: string }>('POST', '/jobs', {
    type: 'backfill',
    config: backfillConfig({ source: 'mysql' }),
  });
  assert.equal(badSource.status, 400);
  assert.match(badSource.body.message, /'source' must be equal to one of the allowed values/);
  assert.deepEqual((await worker.rest<JobBody[]>('GET', '/jobs')).body, []);
});

test('a 100k-row Cassandra backfill survives kill -9 of its worker: every row arrives, duplicates within the pages in flight', async () => {
  const submitted = await worker.rest<JobBody>('POST', '/jobs', {
    type: 'backfill',
    config: backfillConfig({ 'max.records.per.second': '4000' }),
  });
  assert.equal(submitted.status, 202, submitted.text);
  assert.equal(submitted.body.progress.units_total, RANGES);
  const id = submitted.body.id;
  const beforeKill = await jobPast(worker, id, 20_000, 60_000);
  await worker.kill9();
  await worker.start();
  const done = await jobCompleted(worker, id, 120_000, 'the restarted worker to complete the backfill');
  assert.ok(beforeKill.progress.records < ROWS, 'the worker was killed mid-job');
  // Records count once: those re-sent after the resume replace the ones in flight at the kill.
  assert.equal(done.progress.records, ROWS);
  assert.equal(done.result?.possible_duplicates, done.progress.possible_duplicates);

  const messages = await readTopic(topic, ROWS, 60_000);
  const ids = messages.map((m) => (JSON.parse(m.key!.toString()) as { customer: number; id: number }).id);
  assert.equal(new Set(ids).size, ROWS, 'every row is on the topic');
  const duplicates = ids.length - ROWS;
  assert.ok(
    duplicates <= done.progress.possible_duplicates,
    `${duplicates} duplicates, at most the ${done.progress.possible_duplicates} reported`,
  );
  // Concurrency 2: at most one page in flight per running range was produced again.
  assert.ok(duplicates <= 2 * FETCH, `${duplicates} duplicates`);

  const row = messages.find((m) => (JSON.parse(m.key!.toString()) as { id: number }).id === 4001)!;
  assert.deepEqual(JSON.parse(row.key!.toString()), { customer: 100, id: 4001 });
  assert.deepEqual(JSON.parse(row.value!.toString()), {
    customer: 100,
    id: 4001,
    at: 1_700_000_004_001,
    item: 'item 4001',
    price: '4001.25',
    qty: 12003,
    tags: ['odd', 'x'],
  });
});
