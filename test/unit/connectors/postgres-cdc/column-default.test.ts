import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultValueText } from '../../../../connectors/postgres/cdc/column-default.js';
import type { PgTypeInfo } from '../../../../connectors/postgres/cdc/pg-types.js';
import { columnMapping } from '../../../../connectors/postgres/cdc/value-mapping.js';

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

/** The field schema's default of a column of `name` whose default expression is `expression`. */
function fieldDefault(
  name: string,
  expression: string | null,
  typeModifier = -1,
  extra: Partial<PgTypeInfo> = {},
) {
  return columnMapping(
    { type: type(name, extra), typeModifier, defaultExpression: expression },
    true,
    precise,
  ).schema.defaultValue;
}

test("default texts as Debezium's PostgresDefaultValueConverter extracts them", () => {
  assert.equal(defaultValueText(type('int4'), '42'), '42');
  assert.equal(defaultValueText(type('int8'), "'9223372036854775807'::bigint"), '9223372036854775807');
  assert.equal(defaultValueText(type('text'), "'it''s'::text"), "it's");
  assert.equal(defaultValueText(type('varchar'), "'abc'::character varying"), 'abc');
  assert.equal(defaultValueText(type('varchar'), 'NULL::character varying'), undefined);
  assert.equal(defaultValueText(type('bool'), 'true'), 'true');
  // Function defaults stand for values the schema cannot hold: Debezium's placeholders.
  assert.equal(defaultValueText(type('int4'), "nextval('t_id_seq'::regclass)"), '0');
  assert.equal(defaultValueText(type('timestamptz'), 'now()'), '1970-01-01 00:00:00+00');
  assert.equal(defaultValueText(type('timestamptz'), 'CURRENT_TIMESTAMP'), '1970-01-01 00:00:00+00');
  assert.equal(defaultValueText(type('uuid'), 'gen_random_uuid()'), '00000000-0000-0000-0000-000000000000');
  // Types Debezium has no mapper for, and no default at all.
  assert.equal(defaultValueText(type('bytea'), "'\\x00'::bytea"), undefined);
  assert.equal(defaultValueText(type('money'), "'1.00'::money"), undefined);
  assert.equal(defaultValueText(type('int4'), null), undefined);
  const mood = type('mood', { kind: 'e', enumValues: ['sad', 'ok'] });
  assert.equal(defaultValueText(mood, "'ok'::mood"), 'ok');
  assert.equal(defaultValueText(mood, "'ok'::other"), undefined);
});

test('defaults land in the field schema as values of the field', () => {
  assert.equal(fieldDefault('int4', '42'), 42);
  assert.equal(fieldDefault('int2', "'-7'::integer"), -7);
  assert.equal(fieldDefault('int8', "'9223372036854775807'::bigint"), 9223372036854775807n);
  assert.equal(fieldDefault('int4', "nextval('t_id_seq'::regclass)"), 0);
  assert.equal(fieldDefault('int4', '(1 + 2)'), undefined, 'an expression is not parsed');
  assert.equal(fieldDefault('float8', '1.5'), 1.5);
  assert.equal(fieldDefault('bool', 'true'), true);
  assert.equal(fieldDefault('bool', 'false'), false);
  assert.equal(fieldDefault('text', "'hello'::text"), 'hello');
  assert.equal(fieldDefault('date', "'2024-02-29'::date"), 19_782);
  assert.equal(fieldDefault('timestamptz', 'now()'), '1970-01-01T00:00:00.000000Z');
  assert.equal(fieldDefault('text', null), undefined);
  assert.equal(fieldDefault('bytea', "'\\x00'::bytea"), undefined);
});
