// Regression (issue 11, defect 2): a timestamp/timestamptz/date of 'infinity' failed the task in the snapshot
// and while streaming ("Unsupported timestamp value infinity"), and the slot stayed behind that row. Every
// special value of every mapped type must flow, in the snapshot and streamed, as docs/postgres-cdc.md says.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { topicSize } from '../../support/kafka-test-client.js';
import { waitFor, WorkerProcess } from '../../support/worker-process.js';
import { cdcWorkerSuite, readChanges, twos, type CdcFixture, type ChangeMessage } from './cdc-fixture.js';

const COLUMNS = `id int PRIMARY KEY, c_date date, c_ts timestamp, c_ts3 timestamp(3), c_tstz timestamptz,
  c_time time, c_timetz timetz, c_interval interval, c_float4 float4, c_float8 float8, c_numeric numeric,
  c_numeric_fixed numeric(10,2), c_numeric_nn numeric NOT NULL, c_money money, c_bit bit(3), c_varbit varbit,
  c_date_array date[], c_ts_array timestamp[], c_tstz_array timestamptz[], c_numeric_array numeric[],
  c_float8_array float8[], c_time_array time[], c_interval_array interval[]`;

const HUGE_NUMERIC = `${'9'.repeat(1000)}.5`;

/** Rows by id; each is inserted before the connector starts (snapshot) and again as id + 10 (streamed). */
const ROWS: Record<number, string> = {
  1: `'infinity', 'infinity', 'infinity', 'infinity', '24:00:00', '24:00:00+00', '178000000 years', 'NaN',
    'Infinity', 'NaN', 'NaN', 'Infinity', '92233720368547758.07', B'101', B'', '{infinity,-infinity,NULL}',
    '{infinity,-infinity}', '{infinity,-infinity}', '{NaN,Infinity,1.5}', '{NaN,-Infinity}', '{24:00:00}',
    '{"1 mon"}'`,
  2: `'-infinity', '-infinity', '-infinity', '-infinity', '00:00:00', '00:00:00-15:59', '-178000000 years',
    '-Infinity', 'NaN', '-Infinity', NULL, 'NaN', '-92233720368547758.08', NULL, NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL`,
  3: `'4713-01-01 BC', '4713-01-01 00:00:00 BC', '294276-12-31 23:59:59.999', '294276-12-31 23:59:59.999999+00',
    '23:59:59.999999', '23:59:59.999999+15:59', '1 year 2 mons 3 days 04:05:06.78', 1e-45, '-0',
    '${HUGE_NUMERIC}', 12345678.91, 0, 0, B'000', B'1010101010', '{5874897-12-31,"0001-01-01 BC"}',
    '{"294247-01-01 23:59:59.999999"}', '{"4714-12-31 23:59:59.999999+00 BC"}', NULL, NULL, NULL, NULL`,
  4: `NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '-Infinity', NULL, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL`,
};

const b64 = (value: bigint): string => Buffer.from(twos(value)).toString('base64');
const ZERO_VARIABLE_DECIMAL = { scale: 0, value: b64(0n) };

/** Integers beyond 2^53 are compared by their exact JSON text (see parseExact). */
const exact = (digits: string): string => `exact:${digits}`;

/** What each row's `after` must hold with decimal.handling.mode=precise and time.precision.mode=adaptive. */
const EXPECTED: Record<number, Record<string, unknown>> = {
  1: {
    c_date: -2_147_472_692,
    c_ts: exact('9223372036825200000'),
    c_ts3: exact('9223372036825200'),
    c_tstz: 'infinity',
    c_time: 86_400_000_000,
    c_timetz: '00:00:00Z',
    c_interval: exact('9223372036854775807'),
    c_float4: 'NaN',
    c_float8: 'Infinity',
    c_numeric: null,
    c_numeric_fixed: null,
    c_numeric_nn: ZERO_VARIABLE_DECIMAL,
    c_money: b64(9_223_372_036_854_775_807n),
    c_bit: '101',
    c_varbit: '',
    c_date_array: [-2_147_472_692, -2_147_472_691, null],
    c_ts_array: [exact('9223372036825200000'), exact('-9223372036832400000')],
    c_tstz_array: ['infinity', '-infinity'],
    // Debezium nulls a numeric[] holding NaN or ±Infinity as a whole (pgjdbc's BigDecimal has neither).
    c_numeric_array: null,
    c_float8_array: ['NaN', '-Infinity'],
    c_time_array: [86_400_000_000],
    c_interval_array: [2_629_800_000_000],
  },
  2: {
    c_date: -2_147_472_691,
    c_ts: exact('-9223372036832400000'),
    c_ts3: exact('-9223372036832400'),
    c_tstz: '-infinity',
    c_time: 0,
    c_timetz: '15:59:00Z',
    c_interval: exact('-9223372036854775808'),
    c_float4: '-Infinity',
    c_float8: 'NaN',
    c_numeric: null,
    c_numeric_fixed: null,
    c_numeric_nn: ZERO_VARIABLE_DECIMAL,
    c_money: b64(-9_223_372_036_854_775_808n),
    c_bit: null,
    c_varbit: null,
    c_date_array: null,
    c_ts_array: null,
    c_tstz_array: null,
    c_numeric_array: null,
    c_float8_array: null,
    c_time_array: null,
    c_interval_array: null,
  },
  3: {
    c_date: -2_440_550,
    c_ts: exact('-210863520000000000'),
    c_ts3: exact('9224318015999999'),
    c_tstz: '+294276-12-31T23:59:59.999999Z',
    c_time: 86_399_999_999,
    c_timetz: '08:00:59.999999Z',
    c_interval: 37_091_106_780_000,
    c_float4: Math.fround(1.4e-45), // Float.MIN_VALUE
    c_float8: -0,
    c_numeric: { scale: 1, value: b64(BigInt(HUGE_NUMERIC.replace('.', ''))) },
    c_numeric_fixed: b64(1_234_567_891n),
    c_numeric_nn: ZERO_VARIABLE_DECIMAL,
    c_money: b64(0n),
    c_bit: '000',
    c_varbit: '1010101010',
    c_date_array: [2_145_042_905, -719_528],
    c_ts_array: [exact('9223371331199999999')],
    c_tstz_array: ['-4713-12-31T23:59:59.999999Z'],
    c_numeric_array: null,
    c_float8_array: null,
    c_time_array: null,
    c_interval_array: null,
  },
  4: {
    c_date: null,
    c_ts: null,
    c_ts3: null,
    c_tstz: null,
    c_time: null,
    c_timetz: null,
    c_interval: null,
    c_float4: null,
    c_float8: null,
    c_numeric: null,
    c_numeric_fixed: null,
    c_numeric_nn: ZERO_VARIABLE_DECIMAL,
    c_money: null,
    c_bit: null,
    c_varbit: null,
    c_date_array: null,
    c_ts_array: null,
    c_tstz_array: null,
    c_numeric_array: null,
    c_float8_array: null,
    c_time_array: null,
    c_interval_array: null,
  },
};

/** JSON.parse, but integers too long for a double keep their exact digits (as `exact:<digits>`). */
function parseExact(text: string): unknown {
  return JSON.parse(text.replace(/([:[,])(-?\d{16,})(?=[,\]}])/g, '$1"exact:$2"'));
}

function afterOf(message: ChangeMessage): Record<string, unknown> {
  const value = parseExact(message.raw.value!.toString('utf8')) as {
    payload: { after: Record<string, unknown> };
  };
  const after = value.payload.after;
  // A float4 is compared as the float32 a consumer reads back, whatever digits the JSON spelled it with.
  if (typeof after.c_float4 === 'number') after.c_float4 = Math.fround(after.c_float4);
  return after;
}

/** Reads `count` changes once they are in Kafka; fails at once, with the trace, when the task failed. */
async function readChangesWhileRunning(
  worker: WorkerProcess,
  name: string,
  topic: string,
  count: number,
): Promise<ChangeMessage[]> {
  const task = await waitFor(
    async () => {
      const status = (await worker.status(name)).tasks[0];
      if (status?.state === 'FAILED') return status;
      return (await topicSize(topic).catch(() => 0)) >= count ? status : false;
    },
    60_000,
    `${count} change(s) on ${topic}`,
  );
  assert.equal(task.state, 'RUNNING', `the task is running: ${task.trace ?? ''}`);
  return readChanges(topic, count);
}

/** Inserts the rows, starts the connector, streams the rows again; returns `after` by id. */
async function capture(
  fx: CdcFixture,
  worker: WorkerProcess,
  extra: Record<string, string>,
): Promise<Map<number, Record<string, unknown>>> {
  const { db, schema } = fx;
  await db.query(`CREATE TABLE ${schema}.special (${COLUMNS})`);
  const insert = (id: number, values: string): Promise<unknown> =>
    db.query(`INSERT INTO ${schema}.special VALUES (${id}, ${values})`);
  for (const [id, values] of Object.entries(ROWS)) await insert(Number(id), values);
  const name = `cdc-${fx.suffix}`;
  await worker.createConnector(name, fx.connectorConfig(extra));
  await readChangesWhileRunning(worker, name, fx.topic('special'), 4);
  for (const [id, values] of Object.entries(ROWS)) await insert(Number(id) + 10, values);
  const messages = await readChangesWhileRunning(worker, name, fx.topic('special'), 8);
  const rows = new Map<number, Record<string, unknown>>();
  for (const m of messages) {
    const after = afterOf(m);
    rows.set(after.id as number, after);
  }
  return rows;
}

describe('special values of every mapped type', () => {
  const suite = cdcWorkerSuite();

  test('precise decimals, adaptive time: snapshot and stream carry each value as documented', async () => {
    const fx = await suite.fixture('special');
    const rows = await capture(fx, suite.worker(), {});
    for (const [id, expected] of Object.entries(EXPECTED)) {
      const snapshot = rows.get(Number(id));
      const streamed = rows.get(Number(id) + 10);
      assert.deepEqual({ ...snapshot, id: 0 }, { ...expected, id: 0 }, `row ${id} from the snapshot`);
      assert.deepEqual({ ...streamed, id: 0 }, { ...expected, id: 0 }, `row ${id} streamed`);
    }
  });

  test('decimal.handling.mode=string and time.precision.mode=connect', async () => {
    const fx = await suite.fixture('specialstr');
    const rows = await capture(fx, suite.worker(), {
      'decimal.handling.mode': 'string',
      'time.precision.mode': 'connect',
    });
    for (const offset of [0, 10]) {
      const positive = rows.get(1 + offset)!;
      const negative = rows.get(2 + offset)!;
      assert.equal(positive.c_numeric, 'NAN');
      assert.equal(positive.c_numeric_nn, 'POSITIVE_INFINITY');
      assert.equal(negative.c_numeric, 'NEGATIVE_INFINITY');
      assert.equal(positive.c_money, '92233720368547758.07');
      assert.equal(negative.c_money, '-92233720368547758.08');
      // A JavaScript Date ends 100,000,000 days from 1970: the infinities are clamped there.
      assert.equal(positive.c_date, -100_000_000);
      assert.equal(negative.c_date, -100_000_000);
      assert.equal(positive.c_ts, exact('8640000000000000'));
      assert.equal(negative.c_ts, exact('-8640000000000000'));
      assert.equal(positive.c_time, 86_400_000);
      assert.equal(positive.c_tstz, 'infinity');
    }
  });
});
