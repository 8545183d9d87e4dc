// Every mapped PostgreSQL type, through snapshot and streaming, in each decimal.handling.mode.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerProcess } from '../../support/worker-process.js';
import {
  cdcWorkerSuite,
  payloadOf,
  readChanges,
  twos,
  type CdcFixture,
  type ChangeMessage,
} from './cdc-fixture.js';

const COLUMNS = `
  id int PRIMARY KEY, c_int2 int2, c_int8 int8, c_float4 float4, c_float8 float8, c_bool bool,
  c_numeric numeric(8,3), c_numeric_free numeric, c_text text, c_varchar varchar(20), c_char char(3),
  c_bytea bytea, c_uuid uuid, c_json json, c_jsonb jsonb, c_date date, c_time time, c_timestamp timestamp,
  c_timestamp3 timestamp(3), c_timestamptz timestamptz, c_int_array int[], c_text_array text[], c_mood mood`;

const VALUES = `(1, -7, 9007199254740991, 1.5, 2.25, true, -12.345, 3.14159, 'hello', 'var', 'ab', '\\x0102ff',
  'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}', '2024-02-29', '13:45:10.123456',
  '2024-02-29 13:45:10.123456', '2024-02-29 13:45:10.123', '2024-02-29 13:45:10.5+02', '{1,2,NULL}', '{"x y",z}', 'happy')`;

const EPOCH_DAYS_2024_02_29 = 19782;
const MICROS_2024_02_29_134510 = (EPOCH_DAYS_2024_02_29 * 86_400 + 13 * 3600 + 45 * 60 + 10) * 1_000_000;

function fieldSchema(message: ChangeMessage, name: string): Record<string, unknown> {
  const envelope = message.value!.schema as {
    fields: { field: string; fields: Record<string, unknown>[] }[];
  };
  return envelope.fields.find((f) => f.field === 'after')!.fields.find((f) => f.field === name)!;
}

async function captureOne(
  fx: CdcFixture,
  worker: WorkerProcess,
  extra: Record<string, string>,
): Promise<ChangeMessage[]> {
  const { db, schema } = fx;
  await db.query(`CREATE TYPE ${schema}.mood AS ENUM ('sad', 'happy')`);
  await db.query(`SET search_path = ${schema}, public`);
  await db.query(`CREATE TABLE ${schema}.types (${COLUMNS})`);
  await db.query(`INSERT INTO ${schema}.types VALUES ${VALUES}`);
  const name = `cdc-${fx.suffix}`;
  await worker.createConnector(name, fx.connectorConfig(extra));
  await worker.waitForState(name, 'RUNNING', 1);
  await readChanges(fx.topic('types'), 1);
  await db.query(`INSERT INTO ${schema}.types VALUES ${VALUES.replace('(1,', '(2,')}`);
  return readChanges(fx.topic('types'), 2);
}

describe('type mapping', () => {
  const suite = cdcWorkerSuite();

  test('precise decimals and adaptive time: snapshot and streamed rows are identical', async () => {
    const fx = await suite.fixture('types');
    const [read, created] = (await captureOne(fx, suite.worker(), {})) as [ChangeMessage, ChangeMessage];
    assert.equal(payloadOf(read)?.op, 'r');
    assert.equal(payloadOf(created)?.op, 'c');
    const a = payloadOf(read)!.after as Record<string, unknown>;
    const b = payloadOf(created)!.after as Record<string, unknown>;
    assert.deepEqual({ ...a, id: 0 }, { ...b, id: 0 }, 'snapshot and streaming convert values the same way');
    assert.deepEqual(a, {
      id: 1,
      c_int2: -7,
      c_int8: 9007199254740991,
      c_float4: 1.5,
      c_float8: 2.25,
      c_bool: true,
      c_numeric: Buffer.from(twos(-12345n)).toString('base64'),
      c_numeric_free: { scale: 5, value: Buffer.from(twos(314159n)).toString('base64') },
      c_text: 'hello',
      c_varchar: 'var',
      c_char: 'ab ',
      c_bytea: Buffer.from([1, 2, 255]).toString('base64'),
      c_uuid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
      c_json: '{"a": 1}',
      c_jsonb: '{"b": [1, 2]}',
      c_date: EPOCH_DAYS_2024_02_29,
      c_time: (13 * 3600 + 45 * 60 + 10) * 1_000_000 + 123456,
      c_timestamp: MICROS_2024_02_29_134510 + 123456,
      c_timestamp3: (MICROS_2024_02_29_134510 + 123000) / 1000,
      c_timestamptz: '2024-02-29T11:45:10.500000Z',
      c_int_array: [1, 2, null],
      c_text_array: ['x y', 'z'],
      c_mood: 'happy',
    });
    const expectSchema = (field: string, expected: Record<string, unknown>): void => {
      const actual = fieldSchema(read, field);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(actual[k], v, `${field}.${k}`);
    };
    expectSchema('c_int2', { type: 'int16' });
    expectSchema('c_int8', { type: 'int64' });
    expectSchema('c_float4', { type: 'float' });
    expectSchema('c_float8', { type: 'double' });
    expectSchema('c_bool', { type: 'boolean' });
    expectSchema('c_numeric', {
      type: 'bytes',
      name: 'org.apache.kafka.connect.data.Decimal',
      parameters: { scale: '3', 'connect.decimal.precision': '8' },
    });
    expectSchema('c_numeric_free', {
      type: 'struct',
      name: 'io.debezium.data.VariableScaleDecimal',
      version: 1,
    });
    expectSchema('c_bytea', { type: 'bytes' });
    expectSchema('c_uuid', { type: 'string', name: 'io.debezium.data.Uuid', version: 1 });
    expectSchema('c_json', { type: 'string', name: 'io.debezium.data.Json', version: 1 });
    expectSchema('c_jsonb', { type: 'string', name: 'io.debezium.data.Json', version: 1 });
    expectSchema('c_date', { type: 'int32', name: 'io.debezium.time.Date', version: 1 });
    expectSchema('c_time', { type: 'int64', name: 'io.debezium.time.MicroTime', version: 1 });
    expectSchema('c_timestamp', { type: 'int64', name: 'io.debezium.time.MicroTimestamp', version: 1 });
    expectSchema('c_timestamp3', { type: 'int64', name: 'io.debezium.time.Timestamp', version: 1 });
    expectSchema('c_timestamptz', { type: 'string', name: 'io.debezium.time.ZonedTimestamp', version: 1 });
    expectSchema('c_int_array', { type: 'array', items: { type: 'int32', optional: true } });
    expectSchema('c_mood', {
      type: 'string',
      name: 'io.debezium.data.Enum',
      parameters: { allowed: 'sad,happy' },
    });
  });

  test('decimal.handling.mode=double and time.precision.mode=connect', async () => {
    const fx = await suite.fixture('typesdbl');
    const [, created] = (await captureOne(fx, suite.worker(), {
      'decimal.handling.mode': 'double',
      'time.precision.mode': 'connect',
    })) as [ChangeMessage, ChangeMessage];
    const after = payloadOf(created)!.after as Record<string, unknown>;
    assert.equal(after.c_numeric, -12.345);
    assert.equal(after.c_numeric_free, 3.14159);
    assert.equal(fieldSchema(created, 'c_numeric').type, 'double');
    assert.equal(after.c_date, EPOCH_DAYS_2024_02_29);
    assert.equal(fieldSchema(created, 'c_date').name, 'org.apache.kafka.connect.data.Date');
    assert.equal(after.c_timestamp, (MICROS_2024_02_29_134510 + 123000) / 1000);
    assert.equal(fieldSchema(created, 'c_timestamp').name, 'org.apache.kafka.connect.data.Timestamp');
    assert.equal(after.c_time, (13 * 3600 + 45 * 60 + 10) * 1000 + 123);
    assert.equal(fieldSchema(created, 'c_time').name, 'org.apache.kafka.connect.data.Time');
  });

  test('decimal.handling.mode=string', async () => {
    const fx = await suite.fixture('typesstr');
    const [, created] = (await captureOne(fx, suite.worker(), { 'decimal.handling.mode': 'string' })) as [
      ChangeMessage,
      ChangeMessage,
    ];
    const after = payloadOf(created)!.after as Record<string, unknown>;
    assert.equal(after.c_numeric, '-12.345');
    assert.equal(after.c_numeric_free, '3.14159');
    assert.equal(fieldSchema(created, 'c_numeric').type, 'string');
  });
});
