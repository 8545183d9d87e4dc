import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Struct } from '../../../../runtime/api/index.js';
import { parseArrayLiteral } from '../../../../connectors/postgres/cdc/array-literal.js';
import {
  epochDays,
  epochMicros,
  intervalMicros,
  isoUtcFromMicros,
  isoUtcTime,
  microsOfDay,
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
