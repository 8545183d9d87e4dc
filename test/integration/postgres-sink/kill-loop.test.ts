// Issue 20's exactly-once proof for the Postgres sink: 50k records (30k into a table WITHOUT a primary key in
// insert mode, 20k upserts by key) are consumed by a standalone worker that is killed with kill -9 ten times,
// each time while it is writing, and restarted. Without the offsets stored in the target (and the skip of
// records below them) every kill would leave duplicated rows in the insert-mode table. Afterwards the table
// holds exactly one row per record — none lost, none twice — and the upserted table each key's last value.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Producer } from 'kafkajs';
import { PostgresSinkTask } from '../../../connectors/postgres/sink/postgres-sink-task.js';
import {
  SchemaBuilder,
  Schemas,
  Struct,
  type SinkRecord,
  type SinkTaskContext,
} from '../../../runtime/api/index.js';
import { kafkaBrokers } from '../../support/endpoints.js';
import { createTopic } from '../../support/kafka-test-client.js';
import { seededRandom } from '../../support/seeded-random.js';
import { sleep, uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';
import { JSON_WITH_SCHEMAS, TargetDatabase } from './support.js';

const { Kafka, logLevel } = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

const PARTITIONS = 3;
const INSERTS_PER_PARTITION = 10_000;
const UPSERTS_PER_PARTITION = 7_000;
/** Keys per partition of the upsert topic: each is written UPSERTS_PER_PARTITION / KEYS times. */
const KEYS = 1_000;
const KILLS = 10;
/** Records produced before the worker starts; the rest arrive while it is being killed. */
const PREFILL = 0.4;
const CHUNK = 500;

const ROW_SCHEMA = {
  type: 'struct',
  name: 'eos.Row',
  optional: false,
  fields: [
    { field: 'id', type: 'int32', optional: false },
    { field: 'seq', type: 'int32', optional: false },
    { field: 'part', type: 'int32', optional: false },
  ],
};

let db: TargetDatabase;
let worker: WorkerProcess;
let producer: Producer;

function rowValue(id: number, seq: number, part: number): string {
  return JSON.stringify({ schema: ROW_SCHEMA, payload: { id, seq, part } });
}

before(async () => {
  db = await TargetDatabase.create('sluice_eos_kill');
  const kafka = new Kafka({ clientId: 'pg-kill-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
  worker = await WorkerProcess.create({
    properties: { ...JSON_WITH_SCHEMAS, 'offset.flush.interval.ms': '500' },
  });
});

after(async () => {
  await worker?.dispose();
  await producer?.disconnect().catch(() => undefined);
  await db?.drop();
});

/** Sends records [from, to) of every partition of both topics, in chunks. */
async function produceRange(inserts: string, upserts: string, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(start + CHUNK, to);
    const insertMessages = [];
    const upsertMessages = [];
    for (let p = 0; p < PARTITIONS; p++)
      for (let i = start; i < end; i++) {
        if (i < INSERTS_PER_PARTITION)
          insertMessages.push({ partition: p, key: null, value: rowValue(p * 1_000_000 + i, i, p) });
        if (i < UPSERTS_PER_PARTITION)
          upsertMessages.push({ partition: p, key: null, value: rowValue(p * 1_000_000 + (i % KEYS), i, p) });
      }
    await producer.send({ topic: inserts, acks: -1, messages: insertMessages });
    if (upsertMessages.length > 0)
      await producer.send({ topic: upserts, acks: -1, messages: upsertMessages });
  }
}

/** Rows in the ledger so far (a measure of progress that survives kills). */
async function storedOffsetSum(): Promise<number> {
  const rows = await db
    .rows('SELECT coalesce(sum("offset"), 0)::bigint AS s FROM __sluice_offsets')
    .catch(() => [{ s: 0 }]);
  return Number(rows[0]!['s']);
}

test(
  'kill -9 ten times while writing: each record exactly once in an insert-mode table without a primary key',
  { timeout: 240_000 },
  async () => {
    const started = Date.now();
    const inserts = uniqueName('pg-eos-insert').replaceAll('-', '_');
    const upserts = uniqueName('pg-eos-upsert').replaceAll('-', '_');
    await createTopic(inserts, PARTITIONS);
    await createTopic(upserts, PARTITIONS);
    const prefill = Math.floor(INSERTS_PER_PARTITION * PREFILL);
    await produceRange(inserts, upserts, 0, prefill);
    await worker.start();
    const common = {
      'connector.class': 'PostgresSink',
      'tasks.max': '2',
      'connection.url': db.jdbcUrl,
      'schema.evolution': 'basic',
      // Several statements per put, so a kill often lands inside a transaction.
      'batch.size': '100',
      // The broker's minimum: a killed worker's member leaves the group soon.
      'consumer.override.session.timeout.ms': '6000',
    };
    await worker.createConnector(uniqueName('pg-eos-insert'), {
      ...common,
      topics: inserts,
      'insert.mode': 'insert',
      'primary.key.mode': 'none',
    });
    await worker.createConnector(uniqueName('pg-eos-upsert'), {
      ...common,
      topics: upserts,
      'insert.mode': 'upsert',
      'primary.key.mode': 'record_value',
      'primary.key.fields': 'id',
    });
    const producing = produceRange(inserts, upserts, prefill, INSERTS_PER_PARTITION);
    const random = seededRandom(20);
    const total = PARTITIONS * (INSERTS_PER_PARTITION + UPSERTS_PER_PARTITION);
    for (let kill = 0; kill < KILLS; kill++) {
      // Kill while the sink writes: once the stored offsets moved since the (re)start, at a random moment.
      const before = await storedOffsetSum();
      await waitFor(
        async () => (await storedOffsetSum()) > before || (await storedOffsetSum()) >= total,
        60_000,
        `progress after restart ${kill}`,
      );
      await sleep(Math.floor(random() * 1_200));
      await worker.kill9();
      await worker.start();
    }
    await producing;

    await waitFor(async () => (await storedOffsetSum()) === total, 90_000, 'every record written').catch(
      async (error: unknown) => {
        throw new Error(
          `${(error as Error).message}: ${await storedOffsetSum()} of ${total}; worker: ${worker.output.slice(-2000)}`,
        );
      },
    );

    const counts = await db.rows(
      `SELECT part, count(*)::int AS n, count(DISTINCT seq)::int AS d, min(seq) AS lo, max(seq) AS hi FROM ${inserts} GROUP BY part ORDER BY part`,
    );
    assert.deepEqual(
      counts,
      Array.from({ length: PARTITIONS }, (_, p) => ({
        part: p,
        n: INSERTS_PER_PARTITION,
        d: INSERTS_PER_PARTITION,
        lo: 0,
        hi: INSERTS_PER_PARTITION - 1,
      })),
      'one row per record in the table without a primary key: 0 lost, 0 duplicated',
    );
    const upserted = await db.rows(`SELECT id, seq, part FROM ${upserts} ORDER BY id`);
    const expected = [];
    for (let p = 0; p < PARTITIONS; p++)
      for (let k = 0; k < KEYS; k++)
        expected.push({ id: p * 1_000_000 + k, seq: UPSERTS_PER_PARTITION - KEYS + k, part: p });
    assert.deepEqual(upserted, expected, "one row per key holding the key's last record");
    const ledger = await db.rows(
      'SELECT topic, partition, "offset"::int AS "offset" FROM __sluice_offsets ORDER BY topic, partition',
    );
    assert.equal(ledger.length, 2 * PARTITIONS);
    assert.ok(
      worker.output.split('listening on').length - 1 >= KILLS + 1,
      'the worker was restarted after every kill',
    );
    console.log(`postgres sink kill loop: ${total} records, ${KILLS} kills, ${Date.now() - started} ms`);
  },
);

test('a redelivery without a seek (a rebalance resuming from older group offsets) writes nothing twice, in a second task too', async () => {
  const table = uniqueName('pg_eos_redeliver').replaceAll('-', '_');
  const schema = SchemaBuilder.struct().name('eos.Row').field('id', Schemas.INT32).build();
  const record = (offset: number): SinkRecord => ({
    topic: table,
    kafkaPartition: 0,
    kafkaOffset: offset,
    keySchema: null,
    key: null,
    valueSchema: schema,
    value: new Struct(schema).put('id', offset),
    timestamp: null,
    timestampType: 'CreateTime',
    headers: [],
    originalTopic: table,
    originalKafkaPartition: 0,
    originalKafkaOffset: offset,
  });
  const config = {
    'connection.url': db.jdbcUrl,
    'schema.evolution': 'basic',
    'insert.mode': 'insert',
    'primary.key.mode': 'none',
  };
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const context = (seeks: string[]): SinkTaskContext => ({
    connectorName: 'redeliver',
    taskId: 0,
    logger: silent,
    assignment: () => [],
    pause() {},
    resume() {},
    offset: (tp, offset) => void seeks.push(`${tp.partition}@${offset}`),
    timeout() {},
    requestCommit() {},
    errantRecordReporter: null,
  });
  const first = new PostgresSinkTask();
  first.start(config, context([]));
  await first.put([0, 1, 2].map(record));
  await first.put([1, 2, 3, 4].map(record));
  await first.stop();
  // Another task (a restart) that is handed records from before the stored offset without seeking first.
  const seeks: string[] = [];
  const second = new PostgresSinkTask();
  second.start(config, context(seeks));
  await second.put([2, 3, 4, 5].map(record));
  await second.open([{ topic: table, partition: 0 }]);
  assert.deepEqual(seeks, ['0@6'], 'open() resumes after the last stored record');
  await second.stop();
  const rows = await db.rows(`SELECT id FROM ${table} ORDER BY id`);
  assert.deepEqual(
    rows.map((r) => r['id']),
    [0, 1, 2, 3, 4, 5],
  );
});
