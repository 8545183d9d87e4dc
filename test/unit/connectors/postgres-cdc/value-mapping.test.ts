import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Struct } from '../../../../runtime/api/index.js';
import { parseArrayLiteral } from '../../../../connectors/postgres/cdc/array-literal.js';
import {
  epochDays,
  epochMicros,
  epochMillis,
  intervalMicros,
  isoUtcFromMicros,
  isoUtcTime,
  jsDate,
  microsOfDay,
  zonedTimestamp,
} from '../../../../connectors/postgres/cdc/temporal-text.js';
import {
  columnMapping,
  twosComplementBytes,
  UNAVAILABLE_VALUE_PLACEHOLDER,
} from '../../../../connectors/postgres/cdc/value-mapping.js';
import type { PgTypeInfo } from '../../../../connectors/postgres/cdc/pg-types.js';

const type = (name: string, extra: Partial<PgTypeInfo> = {}): PgTypeInfo => ({
  oid: 1,
  name,
  kind: 'b',
  category: 'X',
  elementOid: 0,
  enumValues: [],
  ...extra,
});
const precise = { decimalMode: 'precise', timePrecisionMode: 'adaptive' } as const;

test('array literals: quoting, escapes, NULL', () => {
  assert.deepEqual(parseArrayLiteral('{1,2,NULL}'), ['1', '2', null]);
  assert.deepEqual(parseArrayLiteral('{"a b","c\\"d",e}'), ['a b', 'c"d', 'e']);
  assert.deepEqual(parseArrayLiteral('{}'), []);
});

test('temporal text parsing and Debezium formats', () => {
  assert.equal(epochDays('1970-01-02'), 1);
  assert.equal(epochDays('0050-01-01'), -701_265, 'years below 100 are not shifted to 19xx');
  assert.ok(epochDays('0050-01-01') < epochDays('1900-01-01'));
  assert.equal(microsOfDay('00:00:01.5'), 1_500_000);
  assert.equal(epochMicros('1970-01-01 00:00:01+01'), -3_599_000_000);
  assert.equal(isoUtcFromMicros(1_500_000), '1970-01-01T00:00:01.5Z');
  assert.equal(isoUtcFromMicros(0), '1970-01-01T00:00:00Z');
  assert.equal(isoUtcTime('10:00:00+02'), '08:00:00Z');
  assert.equal(intervalMicros('P1DT1H'), 25 * 3600 * 1_000_000);
});

test("two's complement like BigInteger.toByteArray", () => {
  assert.deepEqual([...twosComplementBytes(0n)], [0]);
  assert.deepEqual([...twosComplementBytes(128n)], [0, 128]);
  assert.deepEqual([...twosComplementBytes(-1n)], [255]);
  assert.deepEqual([...twosComplementBytes(-129n)], [255, 127]);
});

test('numeric: Decimal with precision parameter, VariableScaleDecimal when unconstrained, double and string modes', () => {
  const constrained = columnMapping(
    { type: type('numeric'), typeModifier: ((8 << 16) | 3) + 4 },
    true,
    precise,
  );
  assert.deepEqual(constrained.schema.parameters, { scale: '3', 'connect.decimal.precision': '8' });
  assert.equal(constrained.convert('-12.345'), '-12.345');
  const free = columnMapping({ type: type('numeric'), typeModifier: -1 }, true, precise);
  assert.equal(free.schema.name, 'io.debezium.data.VariableScaleDecimal');
  const value = free.convert('3.14') as Struct;
  assert.equal(value.get('scale'), 2);
  assert.deepEqual([...(value.get('value') as Buffer)], [1, 58]);
  assert.equal(
    columnMapping({ type: type('numeric'), typeModifier: -1 }, true, {
      ...precise,
      decimalMode: 'double',
    }).convert('3.14'),
    3.14,
  );
  assert.equal(
    columnMapping({ type: type('numeric'), typeModifier: -1 }, true, {
      ...precise,
      decimalMode: 'string',
    }).convert('3.14'),
    '3.14',
  );
});

test('unchanged TOAST placeholders for strings, bytes and string arrays', () => {
  assert.equal(
    columnMapping({ type: type('text'), typeModifier: -1 }, true, precise).unavailable,
    UNAVAILABLE_VALUE_PLACEHOLDER,
  );
  assert.deepEqual(
    columnMapping({ type: type('bytea'), typeModifier: -1 }, true, precise).unavailable,
    Buffer.from(UNAVAILABLE_VALUE_PLACEHOLDER),
  );
  const array = columnMapping(
    { type: type('_text', { category: 'A' }), typeModifier: -1, element: type('text') },
    true,
    precise,
  );
  assert.deepEqual(array.unavailable, [UNAVAILABLE_VALUE_PLACEHOLDER]);
  assert.deepEqual(array.convert('{a,NULL}'), ['a', null]);
});

test('int8 beyond 2^53 stays exact as bigint; enums carry their allowed values', () => {
  assert.equal(
    columnMapping({ type: type('int8'), typeModifier: -1 }, false, precise).convert('9007199254740993'),
    9007199254740993n,
  );
  const mood = columnMapping(
    { type: type('mood', { kind: 'e', enumValues: ['sad', 'happy'] }), typeModifier: -1 },
    true,
    precise,
  );
  assert.equal(mood.schema.name, 'io.debezium.data.Enum');
  assert.deepEqual(mood.schema.parameters, { allowed: 'sad,happy' });
});

test("infinite dates and timestamps come out as Debezium's pgoutput path emits them", () => {
  assert.equal(epochDays('infinity'), -2_147_472_692, 'epoch day of LocalDate -5877611-06-21');
  assert.equal(epochDays('-infinity'), -2_147_472_691, 'epoch day of LocalDate -5877611-06-22');
  assert.equal(epochMicros('infinity'), 9_223_372_036_825_200_000n, 'PGStatement.DATE_POSITIVE_INFINITY');
  assert.equal(epochMicros('-infinity'), -9_223_372_036_832_400_000n, 'PGStatement.DATE_NEGATIVE_INFINITY');
  assert.equal(epochMillis('infinity'), 9_223_372_036_825_200n);
  assert.equal(epochMillis('-infinity'), -9_223_372_036_832_400n);
  assert.equal(zonedTimestamp('infinity'), 'infinity');
  assert.equal(zonedTimestamp('-infinity'), '-infinity');
});

test("ZonedTimestamp has as many fraction digits as the column's precision, like Debezium 3", () => {
  assert.equal(
    zonedTimestamp('2024-01-02 03:04:03.5+00'),
    '2024-01-02T03:04:03.500000Z',
    'plain timestamptz: 6',
  );
  assert.equal(zonedTimestamp('2024-01-02 03:04:03+00'), '2024-01-02T03:04:03.000000Z');
  assert.equal(zonedTimestamp('2024-01-02 03:04:03.5+00', 3), '2024-01-02T03:04:03.500Z');
  assert.equal(
    zonedTimestamp('2024-01-02 03:04:03+00', 0),
    '2024-01-02T03:04:03Z',
    'timestamptz(0): no fraction',
  );
  assert.equal(zonedTimestamp('infinity', 6), 'infinity');
});

test('the whole PostgreSQL calendar: BC, far future, exact microseconds beyond 2^53', () => {
  // Debezium's own expectations (AbstractRecordsProducerTest): ts_max, ts_min, tz_max, tz_min.
  assert.equal(epochMicros('294247-01-01 23:59:59.999999'), 9_223_371_331_200_000_000n - 1n);
  assert.equal(epochMicros('4713-12-31 23:59:59.999999 BC'), -210_831_897_600_000_001n);
  assert.equal(zonedTimestamp('294247-01-01 23:59:59.999999+00'), '+294247-01-01T23:59:59.999999Z');
  assert.equal(zonedTimestamp('4714-12-31 23:59:59.999999+00 BC'), '-4713-12-31T23:59:59.999999Z');
  assert.equal(epochDays('5874897-12-31'), 2_145_042_905);
  assert.equal(epochDays('4713-01-01 BC'), -2_440_550);
  assert.equal(epochDays('0001-01-01 BC'), -719_528);
  assert.equal(epochMillis('1969-12-31 23:59:59.9995'), -1, 'rounded down like Instant.toEpochMilli');
  assert.equal(zonedTimestamp('2020-01-01 00:00:00+05:30:15'), '2019-12-31T18:29:45.000000Z');
  assert.equal(
    jsDate(9_223_372_036_825_200n).getTime(),
    8_640_000_000_000_000,
    'clamped to what a Date holds',
  );
});

test('times: 24:00:00, and the end of the day at UTC wrapping to 00:00:00Z', () => {
  assert.equal(microsOfDay('24:00:00'), 86_400_000_000);
  assert.equal(isoUtcTime('24:00:00+00'), '00:00:00Z', 'as Debezium 3.6.1 writes it');
  assert.equal(isoUtcTime('24:00:00+02'), '22:00:00Z');
  assert.equal(isoUtcTime('00:00:00-15:59'), '15:59:00Z');
  assert.equal(isoUtcTime('12:00:00+05:30:15'), '06:29:45Z');
});

test('intervals as MicroDuration.durationMicros: 30.4375-day months, saturating at the int64 limits', () => {
  assert.equal(intervalMicros('P1M'), 30.4375 * 86_400 * 1_000_000);
  assert.equal(intervalMicros('P1Y2M3DT4H5M6.78S'), 37_091_106_780_000);
  assert.equal(intervalMicros('PT-0.000001S'), -1);
  assert.equal(intervalMicros('P178000000Y'), 9_223_372_036_854_775_807n);
  assert.equal(intervalMicros('P-178000000Y'), -9_223_372_036_854_775_808n);
});

test('numeric and float special values in every decimal.handling.mode', () => {
  const numeric = (decimalMode: 'precise' | 'double' | 'string', typeModifier = -1) =>
    columnMapping({ type: type('numeric'), typeModifier }, true, { ...precise, decimalMode });
  for (const special of ['NaN', 'Infinity', '-Infinity']) {
    assert.equal(numeric('precise').convert(special), null);
    assert.equal(numeric('precise', ((8 << 16) | 3) + 4).convert(special), null);
  }
  assert.ok(Number.isNaN(numeric('double').convert('NaN')));
  assert.equal(numeric('double').convert('Infinity'), Number.POSITIVE_INFINITY);
  assert.equal(numeric('double').convert('-Infinity'), Number.NEGATIVE_INFINITY);
  assert.equal(numeric('string').convert('NaN'), 'NAN');
  assert.equal(numeric('string').convert('Infinity'), 'POSITIVE_INFINITY');
  assert.equal(numeric('string').convert('-Infinity'), 'NEGATIVE_INFINITY');
  const huge = `9${'0'.repeat(1000)}.5`;
  assert.equal((numeric('precise').convert(huge) as Struct).get('scale'), 1);
  const money = columnMapping({ type: type('money'), typeModifier: -1 }, true, {
    ...precise,
    decimalMode: 'string',
  });
  assert.equal(money.convert('-$92,233,720,368,547,758.08'), '-92233720368547758.08');
  const float8 = columnMapping({ type: type('float8'), typeModifier: -1 }, true, precise);
  assert.ok(Number.isNaN(float8.convert('NaN')));
  assert.equal(float8.convert('-Infinity'), Number.NEGATIVE_INFINITY);
});

test('timestamps beyond int64 microseconds since 1970 saturate; their ISO and millisecond forms stay exact', () => {
  assert.equal(epochMicros('294276-12-31 23:59:59.999999'), 9_223_372_036_854_775_807n);
  assert.equal(epochMillis('294276-12-31 23:59:59.999999'), 9_224_318_015_999_999n);
  assert.equal(zonedTimestamp('294276-12-31 23:59:59.999999+00'), '+294276-12-31T23:59:59.999999Z');
});
