// Issue 12's remaining Debezium 3.x differences, against real PostgreSQL and Kafka: source.snapshot's
// markers across several tables; the __debezium.* headers; column defaults in the schema and in a delete's
// before image.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cdcWorkerSuite, payloadOf, readChanges } from './cdc-fixture.js';

describe('Debezium 3.x compatibility of the CDC source', () => {
  const suite = cdcWorkerSuite();

  test('source.snapshot: first, first_in_data_collection, last_in_data_collection and last as Debezium marks them', async () => {
    const fx = await suite.fixture('snapmark');
    const { db, schema } = fx;
    // Read in name order: a (3 rows), b (1 row), c (2 rows), d (empty: "last" goes to c's last row).
    for (const [table, rows] of [
      ['a', 3],
      ['b', 1],
      ['c', 2],
      ['d', 0],
    ] as const) {
      await db.query(`CREATE TABLE ${schema}.${table} (id int PRIMARY KEY)`);
      for (let id = 1; id <= rows; id++) await db.query(`INSERT INTO ${schema}.${table} VALUES ($1)`, [id]);
    }
    const name = `cdc-${fx.suffix}`;
    await suite.worker().createConnector(name, fx.connectorConfig({ 'snapshot.fetch.size': '1' }));
    const markersOf = async (table: string, count: number) =>
      (await readChanges(fx.topic(table), count)).map(
        (m) => (payloadOf(m)?.source as Record<string, unknown>).snapshot,
      );
    assert.deepEqual(await markersOf('a', 3), ['first', 'true', 'last_in_data_collection']);
    assert.deepEqual(await markersOf('b', 1), ['last_in_data_collection']);
    assert.deepEqual(await markersOf('c', 2), ['first_in_data_collection', 'last']);
  });

  test('headers: __debezium.context.* on every event; a primary key change names the other key in __debezium.newkey/oldkey', async () => {
    const fx = await suite.fixture('dbzhdr');
    const { db, schema } = fx;
    await db.query(`CREATE TABLE ${schema}.items (id int PRIMARY KEY, note text)`);
    await db.query(`INSERT INTO ${schema}.items VALUES (1, 'one')`);
    const name = `cdc-${fx.suffix}`;
    await suite.worker().createConnector(name, fx.connectorConfig());
    await suite.worker().waitForState(name, 'RUNNING', 1);
    await readChanges(fx.topic('items'), 1);
    await db.query(`UPDATE ${schema}.items SET id = 2 WHERE id = 1`);
    const [read, del, tombstone, create] = await readChanges(fx.topic('items'), 4);
    assert.equal(payloadOf(del!)?.op, 'd');
    assert.equal(tombstone!.raw.value, null);
    assert.equal(payloadOf(create!)?.op, 'c');

    const runId = read!.raw.headers['__debezium.context.runId'];
    assert.match(String(runId), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const context = {
      '__debezium.context.connectorLogicalName': fx.prefix,
      '__debezium.context.taskId': '0',
      '__debezium.context.connectorName': 'postgresql',
      '__debezium.context.runId': runId,
    };
    assert.deepEqual(read!.raw.headers, context, 'a snapshot read');
    // The delete and its tombstone carry the new key, the create the old one, then the context headers.
    assert.deepEqual(del!.raw.headers, { '__debezium.newkey': '{"id":2}', ...context });
    assert.deepEqual(tombstone!.raw.headers, { '__debezium.newkey': '{"id":2}', ...context });
    assert.deepEqual(create!.raw.headers, { '__debezium.oldkey': '{"id":1}', ...context });
    assert.deepEqual(Object.keys(create!.raw.headers), ['__debezium.oldkey', ...Object.keys(context)]);
  });

  test('extended.headers.enabled=false: no context headers', async () => {
    const fx = await suite.fixture('dbznohdr');
    await fx.db.query(`CREATE TABLE ${fx.schema}.items (id int PRIMARY KEY)`);
    await fx.db.query(`INSERT INTO ${fx.schema}.items VALUES (1)`);
    await suite
      .worker()
      .createConnector(`cdc-${fx.suffix}`, fx.connectorConfig({ 'extended.headers.enabled': 'false' }));
    const [read] = await readChanges(fx.topic('items'), 1);
    assert.deepEqual(read!.raw.headers, {});
  });

  test("column defaults: in the field schemas (function defaults as Debezium's placeholders), and in a delete's before image for NOT NULL columns", async () => {
    const fx = await suite.fixture('dbzdef');
    const { db, schema } = fx;
    await db.query(
      `CREATE TABLE ${schema}.stock (
         id serial PRIMARY KEY,
         qty int NOT NULL DEFAULT 5,
         label varchar(20) NOT NULL DEFAULT 'none',
         flag boolean NOT NULL DEFAULT true,
         created timestamptz NOT NULL DEFAULT now(),
         price numeric(8,2) DEFAULT 1.50,
         plain text NOT NULL,
         note text)`,
    );
    await db.query(
      `INSERT INTO ${schema}.stock (qty, label, flag, plain, note) VALUES (9, 'nine', false, 'p', 'n')`,
    );
    const name = `cdc-${fx.suffix}`;
    await suite.worker().createConnector(name, fx.connectorConfig());
    await suite.worker().waitForState(name, 'RUNNING', 1);
    const [read] = await readChanges(fx.topic('stock'), 1);
    await db.query(`DELETE FROM ${schema}.stock`);
    const [, del] = await readChanges(fx.topic('stock'), 2);

    type Field = { field: string; default?: unknown; fields?: Field[] };
    const after = (read!.value!.schema as { fields: Field[] }).fields.find((f) => f.field === 'after')!;
    const defaults = Object.fromEntries(after.fields!.map((f) => [f.field, f.default]));
    assert.deepEqual(defaults, {
      id: 0,
      qty: 5,
      label: 'none',
      flag: true,
      created: '1970-01-01T00:00:00.000000Z',
      price: 'AJY=',
      plain: undefined,
      note: undefined,
    });
    const key = (read!.key!.schema as { fields: Field[] }).fields;
    assert.deepEqual(key, [{ type: 'int32', optional: false, default: 0, field: 'id' }]);
    // REPLICA IDENTITY DEFAULT: only the key is in the WAL; required columns get their default, else their zero.
    assert.deepEqual(payloadOf(del!)?.before, {
      id: 1,
      qty: 5,
      label: 'none',
      flag: true,
      created: '1970-01-01T00:00:00.000000Z',
      // null in the event, written as its default by JsonConverter (replace.null.with.default=true, as Connect).
      price: 'AJY=',
      plain: '',
      note: null,
    });
  });
});
