import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  SchemaBuilder,
  Schemas,
  Struct,
  dateSchema,
  decimalSchema,
  timeSchema,
  timestampSchema,
  type Header,
  type Schema,
  type SinkRecord,
} from '../../../../runtime/api/index.js';
import { ParquetFormat, type ParquetCodec } from '../../../../connectors/s3/format/parquet-format.js';
import type { OutputField } from '../../../../connectors/s3/format/output-fields.js';
import {
  RecordNotWritable,
  type RecordFormat,
  type StoredRecord,
} from '../../../../connectors/s3/format/record-format.js';

const ADDRESS = SchemaBuilder.struct()
  .name('shop.Address')
  .field('street', Schemas.OPTIONAL_STRING)
  .field('zip', Schemas.STRING)
  .build();
const ORDER = SchemaBuilder.struct()
  .name('shop.Order')
  .field('id', Schemas.INT64)
  .field('small', Schemas.INT8)
  .field('medium', Schemas.INT16)
  .field('count', Schemas.INT32)
  .field('ratio', Schemas.FLOAT32)
  .field('price', Schemas.FLOAT64)
  .field('paid', Schemas.BOOLEAN)
  .field('note', Schemas.OPTIONAL_STRING)
  .field('blob', Schemas.OPTIONAL_BYTES)
  .field('amount', decimalSchema(2).parameter('connect.decimal.precision', '10').build())
  .field('wide', decimalSchema(5).optional().build())
  .field('day', dateSchema().optional().build())
  .field('at_time', timeSchema().optional().build())
  .field('at', timestampSchema().optional().build())
  .field('tags', SchemaBuilder.array(Schemas.STRING).build())
  .field('attributes', SchemaBuilder.map(Schemas.STRING, Schemas.OPTIONAL_INT64).optional().build())
  .field('address', ADDRESS)
  .field('previous', SchemaBuilder.array(ADDRESS).optional().build())
  .build();

const DAY = 86_400_000;

function order(i: number, overrides: Record<string, unknown> = {}): Struct {
  const values: Record<string, unknown> = {
    id: i % 2 === 0 ? i : 2n ** 60n + BigInt(i),
    small: -128,
    medium: 32767,
    count: i,
    ratio: 0.5,
    price: -1234.5678,
    paid: i % 3 === 0,
    note: i % 2 === 0 ? null : `note ${i}`,
    blob: i % 2 === 0 ? null : Buffer.from([0, 255, i % 256]),
    amount: i % 2 === 0 ? '-12345678.90' : '0.05',
    wide: i % 2 === 0 ? null : '-99999999999999999999999999999999.99999',
    day: new Date(i % 2 === 0 ? -400 * DAY : 19000 * DAY),
    at_time: i % 2 === 0 ? null : new Date(DAY - 1),
    at: new Date(i % 2 === 0 ? -1 : 1_700_000_000_123),
    tags: i % 2 === 0 ? [] : ['a', 'b'],
    attributes:
      i % 2 === 0
        ? new Map()
        : new Map<string, unknown>([
            ['x', 1],
            ['y', null],
          ]),
    address: new Struct(ADDRESS).put('street', i % 2 === 0 ? null : 'Main St').put('zip', `${10000 + i}`),
    previous: i % 2 === 0 ? null : [new Struct(ADDRESS).put('zip', '1')],
    ...overrides,
  };
  const struct = new Struct(ORDER);
  for (const [name, value] of Object.entries(values)) struct.put(name, value);
  return struct;
}

function sinkRecord(
  value: unknown,
  valueSchema: Schema | null = ORDER,
  extra: Partial<SinkRecord> = {},
): SinkRecord {
  return {
    topic: 'orders',
    kafkaPartition: 2,
    kafkaOffset: 40,
    keySchema: null,
    key: null,
    valueSchema,
    value,
    timestamp: 1_700_000_000_000,
    timestampType: 'CreateTime',
    headers: [],
    originalTopic: 'orders',
    originalKafkaPartition: 2,
    originalKafkaOffset: 40,
    ...extra,
  };
}

async function writeAll(format: RecordFormat, records: readonly SinkRecord[]): Promise<Buffer> {
  const writer = format.newWriter();
  for (const record of records) writer.write(record);
  return Buffer.concat([await writer.drain(), await writer.finish()]);
}

async function readAll(format: RecordFormat, bytes: Uint8Array): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  for await (const record of format.read(bytes)) out.push(record);
  return out;
}

/** The Connect value as comparable plain data: Structs as objects, Buffers as hex, Dates as ISO text. */
function plain(value: unknown): unknown {
  if (value instanceof Struct)
    return Object.fromEntries((value.schema.fields ?? []).map((f) => [f.name, plain(value.get(f.name))]));
  if (Buffer.isBuffer(value)) return `hex:${value.toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return [...value].map(([k, v]) => [plain(k), plain(v)]);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

const valueOnly = (codec: ParquetCodec, rowGroupRecords?: number): ParquetFormat =>
  new ParquetFormat({ outputFields: ['value'], codec, ...(rowGroupRecords ? { rowGroupRecords } : {}) });

for (const [codec, extension] of [
  ['snappy', '.snappy.parquet'],
  ['zstd', '.zstd.parquet'],
  ['gzip', '.gz.parquet'],
  ['none', '.parquet'],
] as const) {
  test(`${codec}: every column type reads back as written, extension ${extension}`, async () => {
    const format = valueOnly(codec);
    assert.equal(format.extension, extension);
    const values = [order(0), order(1), order(2)];
    const bytes = await writeAll(
      format,
      values.map((v) => sinkRecord(v)),
    );
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PAR1');
    const back = await readAll(format, bytes);
    assert.deepEqual(
      back.map((r) => plain(r.value)),
      values.map(plain),
    );
    // The Connect schema, names and parameters included, comes back from the file's metadata.
    assert.equal(back[0]!.valueSchema?.name, 'shop.Order');
    assert.deepEqual(plain(back[0]!.valueSchema), plain(ORDER));
  });
}

test('special values: negative decimals, dates before 1970, int64 past 2^53, nulls, empty arrays and maps', async () => {
  const format = valueOnly('zstd');
  const [even, odd] = await readAll(
    format,
    await writeAll(format, [sinkRecord(order(0)), sinkRecord(order(1))]),
  );
  const a = even!.value as Struct;
  const b = odd!.value as Struct;
  assert.equal(a.get('amount'), '-12345678.90');
  assert.equal(b.get('amount'), '0.05');
  assert.equal(b.get('wide'), '-99999999999999999999999999999999.99999');
  assert.equal(a.get('wide'), null);
  assert.equal((a.get('day') as Date).toISOString(), '1968-11-27T00:00:00.000Z');
  assert.equal((a.get('at') as Date).getTime(), -1);
  assert.equal((b.get('at_time') as Date).getTime(), DAY - 1);
  // int64 as JsonConverter gives it: a number when safe, else a bigint.
  assert.equal(a.get('id'), 0);
  assert.equal(b.get('id'), 2n ** 60n + 1n);
  assert.equal(a.get('note'), null);
  assert.deepEqual(a.get('tags'), []);
  assert.deepEqual(a.get('attributes'), new Map());
  assert.deepEqual(
    b.get('attributes'),
    new Map<string, unknown>([
      ['x', 1],
      ['y', null],
    ]),
  );
  assert.equal((a.get('address') as Struct).get('street'), null);
  assert.equal((b.get('previous') as Struct[])[0]!.get('zip'), '1');
});

test('accepts() is false for another value schema, so the sink starts a new file', async () => {
  const format = valueOnly('snappy');
  const writer = format.newWriter();
  const other = SchemaBuilder.struct().field('id', Schemas.INT64).build();
  assert.equal(writer.accepts(sinkRecord(order(0))), true);
  writer.write(sinkRecord(order(0)));
  assert.equal(writer.accepts(sinkRecord(order(1))), true);
  assert.equal(writer.accepts(sinkRecord(new Struct(other).put('id', 1), other)), false);
  assert.equal(writer.accepts(sinkRecord({ id: 1 }, null)), false);
  // A sink that writes without asking gets an error, not a file of mixed rows.
  assert.throws(() => writer.write(sinkRecord(new Struct(other).put('id', 1), other)), RecordNotWritable);
  writer.discard();
});

test('accepts() compares the key schema when the key is a column, and the schemaless kind', async () => {
  const format = new ParquetFormat({ outputFields: ['key', 'value'], codec: 'none' });
  const writer = format.newWriter();
  writer.write(sinkRecord(Buffer.from('v'), null, { keySchema: Schemas.STRING, key: 'k' }));
  assert.equal(
    writer.accepts(sinkRecord(Buffer.from('w'), null, { keySchema: Schemas.STRING, key: 'k2' })),
    true,
  );
  assert.equal(writer.accepts(sinkRecord(null, null, { keySchema: Schemas.STRING, key: 'k2' })), true);
  assert.equal(
    writer.accepts(sinkRecord(Buffer.from('w'), null, { keySchema: Schemas.INT32, key: 1 })),
    false,
  );
  assert.equal(
    writer.accepts(sinkRecord({ json: true }, null, { keySchema: Schemas.STRING, key: 'k' })),
    false,
  );
  writer.discard();
});

test('a record that does not fit throws RecordNotWritable naming the field, and leaves the file as it was', async () => {
  const format = valueOnly('gzip');
  const writer = format.newWriter();
  writer.write(sinkRecord(order(0)));
  const unsetZip = new Struct(ADDRESS); // zip is required and never set
  const badNested = sinkRecord(order(1, { address: unsetZip }));
  assert.throws(
    () => writer.write(badNested),
    (error: unknown) =>
      error instanceof RecordNotWritable &&
      error.field === 'value.address.zip' &&
      /not optional/.test(error.message),
  );
  // A wrong JS type that Struct.put would not have let in: build the value by hand.
  const wrongType = order(1);
  (wrongType as unknown as { values: unknown[] }).values[3] = 'three';
  assert.throws(
    () => writer.write(sinkRecord(wrongType)),
    (error: unknown) => error instanceof RecordNotWritable && error.field === 'value.count',
  );
  const tooPrecise = order(1, { amount: '1.234' });
  assert.throws(
    () => writer.write(sinkRecord(tooPrecise)),
    (error: unknown) => error instanceof RecordNotWritable && error.field === 'value.amount',
  );
  const tooWide = order(1, { amount: '123456789.00' }); // precision 10
  assert.throws(
    () => writer.write(sinkRecord(tooWide)),
    (error: unknown) => error instanceof RecordNotWritable && error.field === 'value.amount',
  );
  assert.throws(
    () => writer.write(sinkRecord(null)),
    (error: unknown) => error instanceof RecordNotWritable && error.field === 'value',
  );
  writer.write(sinkRecord(order(2)));
  const bytes = Buffer.concat([await writer.drain(), await writer.finish()]);
  const back = await readAll(format, bytes);
  assert.deepEqual(
    back.map((r) => plain(r.value)),
    [plain(order(0)), plain(order(2))],
  );
});

test('a file of many row groups: drain() hands over bytes before finish(), and all of it is one file', async () => {
  const format = valueOnly('zstd', 1000);
  const writer = format.newWriter();
  const parts: Uint8Array[] = [];
  let drainedBeforeFinish = 0;
  for (let i = 0; i < 5000; i++) {
    writer.write(sinkRecord(order(i), ORDER, { kafkaOffset: i }));
    if (i % 1000 === 999) {
      const part = await writer.drain();
      drainedBeforeFinish += part.byteLength;
      parts.push(part);
    }
  }
  assert.ok(drainedBeforeFinish > 0, 'drain() returned nothing before finish()');
  assert.ok(writer.bufferedBytes > 0);
  parts.push(await writer.finish());
  const bytes = Buffer.concat(parts);
  const back = await readAll(format, bytes);
  assert.equal(back.length, 5000);
  assert.deepEqual(plain(back[4321]!.value), plain(order(4321)));

  const dir = await mkdtemp(join(tmpdir(), 'sluice-parquet-'));
  try {
    const path = join(dir, 'orders+0+0000000000.zstd.parquet');
    await writeFile(path, bytes);
    const rows = await duckdb(
      `SELECT count(DISTINCT row_group_id) AS groups, max(row_group_num_rows) AS most FROM parquet_metadata('${path}')`,
    );
    assert.deepEqual(rows, [{ groups: '5', most: '1000' }]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('all output fields: key, value struct column, timestamp, headers, offset, partition, topic', async () => {
  const fields: OutputField[] = ['key', 'value', 'timestamp', 'headers', 'offset', 'partition', 'topic'];
  const format = new ParquetFormat({ outputFields: fields, codec: 'snappy' });
  const headers: Header[] = [
    { key: 'text', schema: Schemas.STRING, value: 'héllo' },
    { key: 'raw', schema: null, value: Buffer.from([1, 2]) },
    { key: 'none', schema: null, value: null },
    { key: 'text', schema: null, value: 'again' },
  ];
  const records = [
    sinkRecord(order(1), ORDER, { keySchema: Schemas.INT64, key: 7, headers, kafkaOffset: 9 }),
    sinkRecord(null, ORDER, { keySchema: Schemas.INT64, key: 8, timestamp: null, kafkaOffset: 10 }),
  ];
  // A required value schema still refuses a null value here: the column is not nullable.
  await assert.rejects(
    writeAll(format, records),
    (e: unknown) => e instanceof RecordNotWritable && e.field === 'value',
  );
  const optionalOrder = SchemaBuilder.struct().field('id', Schemas.INT64).optional().build();
  const written = [
    sinkRecord(new Struct(optionalOrder).put('id', 1), optionalOrder, {
      keySchema: Schemas.INT64,
      key: 7,
      headers,
      kafkaOffset: 9,
    }),
    sinkRecord(null, optionalOrder, { keySchema: Schemas.INT64, key: 8, timestamp: null, kafkaOffset: 10 }),
  ];
  const back = await readAll(format, await writeAll(format, written));
  assert.equal(back.length, 2);
  const [first, tombstone] = back;
  assert.equal(first!.key, 7);
  assert.deepEqual(first!.keySchema, Schemas.INT64);
  assert.deepEqual(plain(first!.value), { id: 1 });
  assert.equal(first!.timestamp, 1_700_000_000_000);
  assert.equal(first!.kafkaOffset, 9);
  assert.equal(first!.kafkaPartition, 2);
  assert.equal(first!.topic, 'orders');
  assert.deepEqual(
    first!.headers.map((h) => [h.key, h.value === null ? null : (h.value as Buffer).toString('latin1')]),
    [
      ['text', Buffer.from('héllo').toString('latin1')],
      ['raw', '\x01\x02'],
      ['none', null],
      ['text', 'again'],
    ],
  );
  assert.equal(tombstone!.value, null);
  assert.equal(tombstone!.timestamp, null);
  assert.deepEqual(tombstone!.headers, []);
});

test('schemaless values: JSON text, or a binary column for Buffers', async () => {
  const format = valueOnly('none');
  const json = [{ a: 1, b: [true, null], c: { d: 'x' } }, 'text', 42, null];
  const back = await readAll(
    format,
    await writeAll(
      format,
      json.map((v) => sinkRecord(v, null)),
    ),
  );
  assert.deepEqual(
    back.map((r) => r.value),
    json,
  );
  assert.ok(back.every((r) => r.valueSchema === null));

  const raw = [Buffer.from([0, 1, 2]), Buffer.alloc(0), null];
  const bytesBack = await readAll(
    format,
    await writeAll(
      format,
      raw.map((v) => sinkRecord(v, null)),
    ),
  );
  assert.deepEqual(
    bytesBack.map((r) => r.value),
    raw,
  );
});

test('DuckDB reads the file and sees the values written', async () => {
  const format = valueOnly('snappy');
  const values = [order(0), order(1)];
  const dir = await mkdtemp(join(tmpdir(), 'sluice-parquet-'));
  try {
    const path = join(dir, 'orders+0+0000000000.snappy.parquet');
    await writeFile(
      path,
      await writeAll(
        format,
        values.map((v) => sinkRecord(v)),
      ),
    );
    const rows = await duckdb(`
      SELECT id::VARCHAR AS id, small, medium, count, ratio, price, paid, note, hex(blob) AS blob,
             amount::VARCHAR AS amount, wide::VARCHAR AS wide, "day"::VARCHAR AS "day",
             at_time::VARCHAR AS at_time, epoch_ms("at")::VARCHAR AS "at", tags, attributes::VARCHAR AS attributes,
             address.street AS street, address.zip AS zip, len(previous) AS previous,
             typeof(amount) AS amount_type, typeof("at") AS at_type, typeof("day") AS day_type
      FROM read_parquet('${path}') ORDER BY count`);
    assert.deepEqual(rows, [
      {
        id: '0',
        small: -128,
        medium: 32767,
        count: 0,
        ratio: 0.5,
        price: -1234.5678,
        paid: true,
        note: null,
        blob: null,
        amount: '-12345678.90',
        wide: null,
        day: '1968-11-27',
        at_time: null,
        at: '-1',
        tags: [],
        attributes: '{}',
        street: null,
        zip: '10000',
        previous: null,
        amount_type: 'DECIMAL(10,2)',
        at_type: 'TIMESTAMP WITH TIME ZONE',
        day_type: 'DATE',
      },
      {
        id: String(2n ** 60n + 1n),
        small: -128,
        medium: 32767,
        count: 1,
        ratio: 0.5,
        price: -1234.5678,
        paid: false,
        note: 'note 1',
        blob: '00FF01',
        amount: '0.05',
        wide: '-99999999999999999999999999999999.99999',
        day: '2022-01-08',
        at_time: '23:59:59.999',
        at: '1700000000123',
        tags: ['a', 'b'],
        attributes: '{x=1, y=NULL}',
        street: 'Main St',
        zip: '10001',
        previous: '1',
        amount_type: 'DECIMAL(10,2)',
        at_type: 'TIMESTAMP WITH TIME ZONE',
        day_type: 'DATE',
      },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

async function duckdb(sql: string): Promise<unknown[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
