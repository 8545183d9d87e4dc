// Snapshot then streaming through the real worker: rows present before start arrive as "r", later changes as
// c/u/d with tombstones, in commit order, and the JSON envelope has Debezium's shape.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerProcess } from '../../support/worker-process.js';
import { cdcFixture, payloadOf, readChanges, type CdcFixture } from './cdc-fixture.js';

let fx: CdcFixture;
let worker: WorkerProcess;

before(async () => {
  fx = await cdcFixture('snap');
  worker = await WorkerProcess.start();
});

after(async () => {
  await worker?.terminate().catch(() => undefined);
  await worker?.dispose();
  await fx?.cleanup();
});

test('existing rows arrive as snapshot reads, then inserts, updates and deletes stream in commit order', async () => {
  const { db, schema } = fx;
  await db.query(
    `CREATE TABLE ${schema}.orders (id int PRIMARY KEY, note text NOT NULL, amount numeric(10,2))`,
  );
  await db.query(
    `INSERT INTO ${schema}.orders VALUES (1, 'one', 1.50), (2, 'two', 2.00), (3, 'three', NULL)`,
  );
  await worker.createConnector(`cdc-${fx.suffix}`, fx.connectorConfig());
  await worker.waitForState(`cdc-${fx.suffix}`, 'RUNNING', 1);

  const snapshot = await readChanges(fx.topic('orders'), 3);
  assert.deepEqual(
    snapshot.map((m) => payloadOf(m)?.op),
    ['r', 'r', 'r'],
  );
  assert.deepEqual(
    snapshot.map((m) => (payloadOf(m)?.source as Record<string, unknown>).snapshot),
    ['first', 'true', 'last'],
  );
  assert.deepEqual(
    snapshot.map((m) => (payloadOf(m)?.after as Record<string, unknown>).id),
    [1, 2, 3],
  );

  await db.query(`INSERT INTO ${schema}.orders VALUES (4, 'four', 4.25)`);
  await db.query(`UPDATE ${schema}.orders SET note = 'uno' WHERE id = 1`);
  await db.query(`DELETE FROM ${schema}.orders WHERE id = 2`);

  const all = await readChanges(fx.topic('orders'), 7);
  assert.equal(all.length, 7, 'exactly 3 reads, 1 create, 1 update, 1 delete and 1 tombstone');
  const streamed = all.slice(3);
  assert.deepEqual(
    streamed.map((m) => payloadOf(m)?.op ?? 'tombstone'),
    ['c', 'u', 'd', 'tombstone'],
  );
  const [create, update, del, tombstone] = streamed as [
    (typeof all)[0],
    (typeof all)[0],
    (typeof all)[0],
    (typeof all)[0],
  ];
  assert.deepEqual(payloadOf(create)?.before, null);
  assert.deepEqual(payloadOf(create)?.after, { id: 4, note: 'four', amount: 'Aak=' });
  assert.deepEqual(payloadOf(update)?.after, { id: 1, note: 'uno', amount: 'AJY=' });
  assert.equal(payloadOf(update)?.before, null, 'REPLICA IDENTITY DEFAULT: no before image for updates');
  assert.deepEqual(payloadOf(del)?.before, { id: 2, note: '', amount: null });
  assert.equal(payloadOf(del)?.after, null);
  assert.deepEqual(del.key?.payload, { id: 2 });
  assert.equal(tombstone.raw.value, null);
  assert.deepEqual(tombstone.key?.payload, { id: 2 });

  // One event, field by field against Debezium's envelope.
  const value = create.value!;
  const schemaJson = value.schema as {
    name: string;
    version: number;
    optional: boolean;
    fields: {
      field: string;
      name?: string;
      type: string;
      optional: boolean;
      fields?: {
        field: string;
        type: string;
        optional: boolean;
        name?: string;
        parameters?: Record<string, string>;
        default?: unknown;
      }[];
    }[];
  };
  assert.equal(schemaJson.name, `${fx.prefix}.${schema}.orders.Envelope`);
  // The shapes of Debezium 3.6.1's events, as the real connector wrote them next to Sluice (bench peers/cdc).
  assert.equal(schemaJson.version, 2);
  assert.equal(schemaJson.optional, false);
  assert.deepEqual(
    schemaJson.fields.map((f) => f.field),
    ['before', 'after', 'source', 'transaction', 'op', 'ts_ms', 'ts_us', 'ts_ns'],
  );
  assert.equal(schemaJson.fields[0]!.name, `${fx.prefix}.${schema}.orders.Value`);
  assert.equal(schemaJson.fields[0]!.optional, true);
  assert.deepEqual(schemaJson.fields[1]!.fields, [
    { type: 'int32', optional: false, field: 'id' },
    { type: 'string', optional: false, field: 'note' },
    {
      type: 'bytes',
      optional: true,
      name: 'org.apache.kafka.connect.data.Decimal',
      version: 1,
      parameters: { scale: '2', 'connect.decimal.precision': '10' },
      field: 'amount',
    },
  ]);
  const source = schemaJson.fields[2]!;
  assert.equal(source.name, 'io.debezium.connector.postgresql.Source');
  assert.equal((source as { version?: number }).version, 1);
  assert.deepEqual(
    source.fields!.map((f) => `${f.field}:${f.type}:${f.optional}`),
    [
      'version:string:false',
      'connector:string:false',
      'name:string:false',
      'ts_ms:int64:false',
      'snapshot:string:true',
      'db:string:false',
      'sequence:string:true',
      'ts_us:int64:true',
      'ts_ns:int64:true',
      'schema:string:false',
      'table:string:false',
      'txId:int64:true',
      'lsn:int64:true',
      'xmin:int64:true',
      'origin:string:true',
      'origin_lsn:int64:true',
    ],
  );
  const snapshotField = source.fields!.find((f) => f.field === 'snapshot')!;
  assert.equal(snapshotField.name, 'io.debezium.data.Enum');
  assert.deepEqual(snapshotField.parameters, {
    allowed: 'true,first,first_in_data_collection,last_in_data_collection,last,false,incremental',
  });
  assert.equal(snapshotField.default, 'false');
  assert.deepEqual(
    schemaJson.fields.slice(3).map((f) => `${f.field}:${f.type}:${f.optional}`),
    [
      'transaction:struct:true',
      'op:string:false',
      'ts_ms:int64:true',
      'ts_us:int64:true',
      'ts_ns:int64:true',
    ],
  );

  const payload = value.payload!;
  const src = payload.source as Record<string, unknown>;
  assert.equal(src.connector, 'postgresql');
  assert.equal(src.name, fx.prefix);
  assert.equal(src.db, 'test');
  assert.equal(src.schema, schema);
  assert.equal(src.table, 'orders');
  assert.equal(src.snapshot, 'false');
  assert.equal(typeof src.txId, 'number');
  assert.equal(typeof src.lsn, 'number');
  assert.equal(src.xmin, null);
  assert.match(String(src.sequence), /^\[(null|"\d+"),"\d+"\]$/, 'sequence: [last commit LSN, event LSN]');
  assert.ok(Math.abs(Number(src.ts_ms) - Date.now()) < 120_000, 'source.ts_ms is the commit time');
  assert.ok(Math.abs(Number(payload.ts_ms) - Date.now()) < 120_000, 'ts_ms is the processing time');
  assert.equal(Math.floor(Number(src.ts_us) / 1000), src.ts_ms, 'source.ts_us is the commit time in µs');
  // ts_ns exceeds 2^53: the parsed JSON number is only close, so compare at microsecond precision.
  assert.ok(Math.abs(Number(src.ts_ns) / 1000 - Number(src.ts_us)) < 1, 'source.ts_ns is ts_us in ns');
  assert.equal(
    Math.floor(Number(payload.ts_us) / 1000),
    payload.ts_ms,
    'ts_us and ts_ms are one clock reading',
  );
  assert.equal(src.origin, null);
  assert.equal(src.origin_lsn, null);
  assert.equal(payload.transaction, null);
  const keySchema = create.key!.schema as { name: string; fields: unknown[] };
  assert.equal(keySchema.name, `${fx.prefix}.${schema}.orders.Key`);
  assert.deepEqual(keySchema.fields, [{ type: 'int32', optional: false, field: 'id' }]);
  assert.deepEqual(create.key!.payload, { id: 4 });
});
