// PostgresSink through the real worker: Debezium envelopes and plain records from Kafka A applied to a
// throwaway database on the real Postgres; redelivery, schema evolution and the dead letter queue.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';
import {
  Col,
  DebeziumTable,
  decimalBase64,
  JSON_WITH_SCHEMAS,
  TargetDatabase,
  TestKafka,
} from './support.js';

const run = randomUUID().replaceAll('-', '').slice(0, 8);
let worker: WorkerProcess;
let db: TargetDatabase;
const kafka = new TestKafka();

before(async () => {
  db = await TargetDatabase.create();
  worker = await WorkerProcess.start({
    properties: { ...JSON_WITH_SCHEMAS, 'offset.flush.interval.ms': '500' },
  });
});

after(async () => {
  await worker?.dispose();
  await kafka.close();
  await db?.drop();
});

function cdcSinkConfig(topic: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    'connector.class': 'io.debezium.connector.jdbc.JdbcSinkConnector',
    'tasks.max': '1',
    topics: topic,
    'connection.url': db.jdbcUrl,
    'insert.mode': 'upsert',
    'primary.key.mode': 'record_key',
    'delete.enabled': 'true',
    'truncate.enabled': 'true',
    'schema.evolution': 'basic',
    'table.name.format': '${source.table}',
    ...extra,
  };
}

async function tableRows(table: string, orderBy = 'id'): Promise<Record<string, unknown>[]> {
  return db.rows(`SELECT * FROM ${table} ORDER BY ${orderBy}`).catch(() => []);
}

async function waitForRows(
  table: string,
  expected: unknown[],
  what: string,
  map: (r: Record<string, unknown>) => unknown = (r) => r,
): Promise<void> {
  await waitFor(
    async () => {
      if (process.env['SINK_TEST_DEBUG'])
        console.error(JSON.stringify((await tableRows(table)).map(map)), worker.output.slice(-600));
      const rows = (await tableRows(table)).map(map);
      try {
        assert.deepEqual(rows, expected);
        return true;
      } catch {
        return false;
      }
    },
    60_000,
    what,
  );
}

async function committedOffset(connector: string, topic: string): Promise<number | null> {
  const reply = await worker.rest<{
    offsets: {
      partition: { kafka_topic: string; kafka_partition: number };
      offset: { kafka_offset: number };
    }[];
  }>('GET', `/connectors/${connector}/offsets`);
  const entry = reply.body.offsets?.find((o) => o.partition.kafka_topic === topic);
  return entry === undefined ? null : entry.offset.kafka_offset;
}

describe('Debezium change events', () => {
  const orders = new DebeziumTable(
    `sinkit${run}`,
    'public',
    'orders',
    [Col.int32('id')],
    [
      Col.int32('id'),
      Col.text('customer'),
      Col.decimal('amount', 2),
      Col.microTimestamp('placed_at'),
      Col.json('details'),
      Col.bytes('blob'),
    ],
  );
  const connector = uniqueName('pg-sink-cdc');
  const row = (id: number, customer: string, amount: string) => ({
    id,
    customer,
    amount: decimalBase64(amount, 2),
    placed_at: 1_700_000_000_000_000 + id * 1_000_001,
    details: JSON.stringify({ id, tags: ['a', customer] }),
    blob: Buffer.from([id, 0, 255]).toString('base64'),
  });
  const summary = (r: Record<string, unknown>) => [r['id'], r['customer'], r['amount']];

  test('inserts, updates, deletes and tombstones end up as the source table', async () => {
    await kafka.createTopic(orders.topic);
    await kafka.send(orders.topic, [
      { key: orders.key({ id: 1 }), value: orders.event('r', null, row(1, 'ann', '10.50')) },
      { key: orders.key({ id: 2 }), value: orders.event('c', null, row(2, 'bob', '20.00')) },
      { key: orders.key({ id: 3 }), value: orders.event('c', null, row(3, 'cid', '30.25')) },
      {
        key: orders.key({ id: 2 }),
        value: orders.event('u', row(2, 'bob', '20.00'), row(2, 'bob', '99.99')),
      },
      { key: orders.key({ id: 3 }), value: orders.event('d', row(3, 'cid', '30.25'), null) },
      { key: orders.key({ id: 3 }), value: null },
      // delete then insert of one key inside a batch: the row must be present afterwards
      { key: orders.key({ id: 4 }), value: orders.event('c', null, row(4, 'dan', '1.00')) },
      { key: orders.key({ id: 4 }), value: orders.event('d', row(4, 'dan', '1.00'), null) },
      { key: orders.key({ id: 4 }), value: orders.event('c', null, row(4, 'dan', '4.00')) },
    ]);
    await worker.createConnector(connector, cdcSinkConfig(orders.topic));
    await waitForRows(
      'orders',
      [
        [1, 'ann', '10.50'],
        [2, 'bob', '99.99'],
        [4, 'dan', '4.00'],
      ],
      'orders applied',
      summary,
    );

    const [first] = await tableRows('orders');
    assert.equal(first!['placed_at'] instanceof Date, true);
    assert.deepEqual(first!['details'], { id: 1, tags: ['a', 'ann'] });
    assert.deepEqual(first!['blob'], Buffer.from([1, 0, 255]));
    const types = await db.rows(
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position`,
    );
    assert.deepEqual(Object.fromEntries(types.map((t) => [t['column_name'], t['data_type']])), {
      id: 'integer',
      customer: 'text',
      amount: 'numeric',
      placed_at: 'timestamp without time zone',
      details: 'jsonb',
      blob: 'bytea',
    });
    const pk = await db.rows(
      `SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'orders'::regclass AND i.indisprimary`,
    );
    assert.deepEqual(
      pk.map((r) => r['attname']),
      ['id'],
    );
  });

  test('a redelivered topic (offsets reset over REST) leaves the same table', async () => {
    const before = await tableRows('orders');
    const end = await waitFor(
      async () => ((await committedOffset(connector, orders.topic)) === 9 ? 9 : false),
      30_000,
      'offsets committed',
    );
    assert.ok([202, 204].includes((await worker.rest('PUT', `/connectors/${connector}/stop`)).status));
    await worker
      .waitForState(connector, 'STOPPED', 0)
      .catch(async () => worker.waitForState(connector, 'STOPPED', 1));
    const reset = await worker.rest('DELETE', `/connectors/${connector}/offsets`);
    assert.equal(reset.status, 200, reset.text);
    assert.equal(await committedOffset(connector, orders.topic), null);
    assert.ok([202, 204].includes((await worker.rest('PUT', `/connectors/${connector}/resume`)).status));
    await waitFor(
      async () => ((await committedOffset(connector, orders.topic)) === end ? true : false),
      60_000,
      'the whole topic consumed again',
    );
    assert.deepEqual(await tableRows('orders'), before);
  });

  test('a truncate event empties the table, later events fill it again', async () => {
    await kafka.send(orders.topic, [
      { key: null, value: orders.event('t', null, null) },
      { key: orders.key({ id: 7 }), value: orders.event('c', null, row(7, 'eve', '7.00')) },
    ]);
    await waitForRows('orders', [[7, 'eve', '7.00']], 'truncate applied', summary);
  });

  test('a column added at the source appears in the target (schema.evolution=basic)', async () => {
    orders.addColumn(Col.text('note'));
    await kafka.send(orders.topic, [
      {
        key: orders.key({ id: 8 }),
        value: orders.event('c', null, { ...row(8, 'fay', '8.00'), note: 'new column' }),
      },
    ]);
    await waitForRows(
      'orders',
      [
        [7, 'eve', null],
        [8, 'fay', 'new column'],
      ],
      'new column filled',
      (r) => [r['id'], r['customer'], r['note']],
    );
  });
});

describe('plain records', () => {
  test('struct values are upserted by primary.key.fields (record_value)', async () => {
    const topic = `sinkit${run}.plain_items`;
    await kafka.createTopic(topic);
    const schema = {
      type: 'struct',
      name: 'item',
      optional: false,
      fields: [
        { field: 'sku', type: 'string', optional: false },
        { field: 'qty', type: 'int64', optional: false },
        { field: 'price', type: 'double', optional: true },
        { field: 'tags', type: 'array', items: { type: 'string', optional: false }, optional: true },
      ],
    };
    const value = (sku: string, qty: number, price: number) =>
      JSON.stringify({ schema, payload: { sku, qty, price, tags: [sku, 'x'] } });
    await kafka.send(topic, [
      { key: null, value: value('a-1', 1, 1.5) },
      { key: null, value: value('b-2', 2, 2.5) },
      { key: null, value: value('a-1', 5, 1.75) },
    ]);
    await worker.createConnector(uniqueName('pg-sink-plain'), {
      'connector.class': 'PostgresSink',
      topics: topic,
      'connection.url': db.jdbcUrl,
      'insert.mode': 'upsert',
      'primary.key.mode': 'record_value',
      'primary.key.fields': 'sku',
      'schema.evolution': 'basic',
      'table.name.format': 'items_${topic}',
    });
    const table = `items_sinkit${run}_plain_items`;
    await waitFor(
      async () => {
        if (process.env['SINK_TEST_DEBUG']) console.error(worker.output.slice(-1500));
        return (
          (await db.rows(`SELECT sku, qty, price, tags FROM ${table} ORDER BY sku`).catch(() => []))
            .length === 2
        );
      },
      60_000,
      'items written',
    );
    await waitFor(
      async () => {
        const rows = await db.rows(`SELECT sku, qty::int AS qty, price, tags FROM ${table} ORDER BY sku`);
        return rows[0]!['qty'] === 5;
      },
      30_000,
      'last change of a-1 wins',
    );
    assert.deepEqual(await db.rows(`SELECT sku, qty::int AS qty, price, tags FROM ${table} ORDER BY sku`), [
      { sku: 'a-1', qty: 5, price: 1.75, tags: ['a-1', 'x'] },
      { sku: 'b-2', qty: 2, price: 2.5, tags: ['b-2', 'x'] },
    ]);
  });
});

describe('schema.evolution=none', () => {
  test('a record with a column the table lacks fails the task, naming table and column', async () => {
    const table = new DebeziumTable(
      `sinkit${run}`,
      'public',
      'fixed_shape',
      [Col.int32('id')],
      [Col.int32('id'), Col.text('name'), Col.text('surprise')],
    );
    await db.client.query('CREATE TABLE fixed_shape (id integer PRIMARY KEY, name text)');
    await kafka.createTopic(table.topic);
    await kafka.send(table.topic, [
      { key: table.key({ id: 1 }), value: table.event('c', null, { id: 1, name: 'x', surprise: 'y' }) },
    ]);
    const name = uniqueName('pg-sink-none');
    await worker.createConnector(name, cdcSinkConfig(table.topic, { 'schema.evolution': 'none' }));
    // Only the task fails; the connector itself keeps RUNNING, as in Connect.
    const status = await worker.waitForTaskState(name, 'FAILED', 60_000);
    const trace = status.tasks[0]?.trace ?? '';
    assert.match(trace, /fixed_shape/);
    assert.match(trace, /surprise/);
    assert.match(trace, /schema\.evolution=none/);
    assert.deepEqual(await db.rows('SELECT * FROM fixed_shape'), []);
  });
});

describe('constraint violations', () => {
  test('a row the database refuses goes to the DLQ (errors.tolerance=all); the rest of the batch is written', async () => {
    const table = new DebeziumTable(
      `sinkit${run}`,
      'public',
      'checked',
      [Col.int32('id')],
      [Col.int32('id'), Col.int32('qty', true)],
    );
    await db.client.query('CREATE TABLE checked (id integer PRIMARY KEY, qty integer CHECK (qty >= 0))');
    const dlq = `sinkit${run}-dlq`;
    await kafka.createTopic(table.topic);
    await kafka.send(
      table.topic,
      [1, 2, -3, 4, 5].map((qty, i) => ({
        key: table.key({ id: i + 1 }),
        value: table.event('c', null, { id: i + 1, qty }),
      })),
    );
    await worker.createConnector(
      uniqueName('pg-sink-dlq'),
      cdcSinkConfig(table.topic, {
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
        'errors.deadletterqueue.context.headers.enable': 'true',
      }),
    );
    await waitForRows(
      'checked',
      [
        [1, 1],
        [2, 2],
        [4, 4],
        [5, 5],
      ],
      'valid rows written',
      (r) => [r['id'], r['qty']],
    );
    const dead = await kafka.readAll(dlq, 1);
    assert.equal(dead.length, 1);
    assert.match(dead[0]!.value ?? '', /"qty":-3/);
    assert.match(dead[0]!.headers['__connect.errors.exception.message'] ?? '', /checked_qty_check/);
  });
});

describe('unreachable database', () => {
  test('connection failures are retried, then fail the task after errors.retry.timeout with the reason', async () => {
    const table = new DebeziumTable(
      `sinkit${run}`,
      'public',
      'nowhere',
      [Col.int32('id')],
      [Col.int32('id')],
    );
    await kafka.createTopic(table.topic);
    await kafka.send(table.topic, [{ key: table.key({ id: 1 }), value: table.event('c', null, { id: 1 }) }]);
    const name = uniqueName('pg-sink-down');
    await worker.createConnector(name, {
      ...cdcSinkConfig(table.topic),
      // Nothing listens on port 1: every connection attempt is refused.
      'connection.url': 'jdbc:postgresql://127.0.0.1:1/nowhere',
      'errors.retry.timeout': '3000',
    });
    const started = Date.now();
    const status = await worker.waitForTaskState(name, 'FAILED', 60_000);
    assert.ok(Date.now() - started >= 3_000, 'it retried before failing');
    const trace = status.tasks[0]?.trace ?? '';
    assert.match(trace, /127\.0\.0\.1:1\/nowhere/);
    assert.match(trace, /ECONNREFUSED/);
    assert.match(trace, /errors\.retry\.timeout=3000/);
  });
});
