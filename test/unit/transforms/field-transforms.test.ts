import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldOf, SchemaBuilder, Schemas } from '../../../runtime/api/schema.js';
import { Struct } from '../../../runtime/api/struct.js';
import { source, transform } from './helpers.js';

const person = SchemaBuilder.struct()
  .name('person')
  .field('id', Schemas.INT64)
  .field('name', Schemas.STRING)
  .field('age', SchemaBuilder.int32().optional().defaultValue(18).build())
  .build();
const alice = () => new Struct(person).put('id', 1).put('name', 'alice');

describe('ReplaceField', () => {
  test('schemaless: exclude wins over include, renames apply', () => {
    const t = transform('ReplaceField$Value', { include: 'a,b,c', exclude: 'c', renames: 'a:x' });
    assert.deepEqual(t.apply(source({ value: { a: 1, b: 2, c: 3, d: 4 } }))!.value, { x: 1, b: 2 });
  });

  test("schema'd: fields dropped and renamed, defaults used unless replace.null.with.default=false", () => {
    const out = transform('ReplaceField$Value', { exclude: 'name', renames: 'id:person_id' }).apply(
      source({ valueSchema: person, value: alice() }),
    )!;
    assert.deepEqual(
      out.valueSchema!.fields!.map((f) => f.name),
      ['person_id', 'age'],
    );
    assert.equal(out.valueSchema!.name, 'person');
    assert.equal((out.value as Struct).get('person_id'), 1);
    assert.equal((out.value as Struct).getWithoutDefault('age'), 18);
    const raw = transform('ReplaceField$Value', {
      exclude: 'name',
      'replace.null.with.default': 'false',
    }).apply(source({ valueSchema: person, value: alice() }))!;
    assert.equal((raw.value as Struct).getWithoutDefault('age'), null);
  });

  test('deprecated whitelist/blacklist still work', () => {
    assert.deepEqual(
      transform('ReplaceField$Value', { whitelist: 'a,b', blacklist: 'b' }).apply(
        source({ value: { a: 1, b: 2, c: 3 } }),
      )!.value,
      { a: 1 },
    );
  });

  test('key variant and a bad rename mapping naming the key', () => {
    assert.deepEqual(
      transform('ReplaceField$Key', { renames: 'k:key' }).apply(source({ key: { k: 1 } }))!.key,
      { key: 1 },
    );
    assert.throws(
      () => transform('ReplaceField$Value', { renames: 'a:b:c' }),
      /Invalid value a:b:c for configuration renames: Invalid rename mapping: a:b:c/,
    );
  });
});

describe('MaskField', () => {
  test('schemaless: each type masked to its empty value', () => {
    const t = transform('MaskField$Value', { fields: 'n,s,b,l,m,missing' });
    const out = t.apply(source({ value: { n: 5, s: 'secret', b: true, l: [1], m: { a: 1 }, keep: 'x' } }))!;
    assert.deepEqual(out.value, { n: 0, s: '', b: false, l: [], m: {}, keep: 'x', missing: null });
  });

  test("schema'd with a replacement", () => {
    const t = transform('MaskField$Value', { fields: 'name,id', replacement: '999' });
    const out = t.apply(source({ valueSchema: person, value: alice() }))!;
    assert.equal((out.value as Struct).get('name'), '999');
    assert.equal((out.value as Struct).get('id'), 999);
    assert.equal(out.valueSchema, person);
  });

  test('a non-numeric replacement for a number fails; fields is required', () => {
    const t = transform('MaskField$Key', { fields: 'n', replacement: 'xx' });
    assert.throws(() => t.apply(source({ key: { n: 1 } })), /Unable to convert xx \(String\) to number/);
    assert.throws(
      () => transform('MaskField$Value', {}),
      /Missing required configuration "fields" which has no default value/,
    );
    assert.throws(() => transform('MaskField$Value', { fields: '' }), /configuration fields: Empty list/);
  });
});

describe('ValueToKey', () => {
  test('schemaless key made from value fields', () => {
    const out = transform('ValueToKey', { fields: 'id,name' }).apply(
      source({ key: 'old', value: { id: 1, name: 'a', x: 2 } }),
    )!;
    assert.deepEqual(out.key, { id: 1, name: 'a' });
    assert.equal(out.keySchema, null);
  });

  test("schema'd key struct with the fields' schemas; unknown field named", () => {
    const out = transform('ValueToKey', { fields: 'id' }).apply(
      source({ valueSchema: person, value: alice() }),
    )!;
    assert.deepEqual(
      out.keySchema!.fields!.map((f) => [f.name, f.schema.type]),
      [['id', 'int64']],
    );
    assert.equal((out.key as Struct).get('id'), 1);
    assert.throws(
      () =>
        transform('ValueToKey', { fields: 'nope' }).apply(source({ valueSchema: person, value: alice() })),
      /Field does not exist: nope/,
    );
  });
});

describe('HoistField', () => {
  test("schemaless and schema'd, key and value", () => {
    assert.deepEqual(
      transform('HoistField$Value', { field: 'wrapped' }).apply(source({ value: 42 }))!.value,
      { wrapped: 42 },
    );
    const out = transform('HoistField$Key', { field: 'id' }).apply(
      source({ keySchema: Schemas.INT64, key: 7 }),
    )!;
    assert.equal(fieldOf(out.keySchema!, 'id')!.schema, Schemas.INT64);
    assert.equal((out.key as Struct).get('id'), 7);
    assert.throws(() => transform('HoistField$Value', {}), /Missing required configuration "field"/);
  });
});

describe('ExtractField', () => {
  const nested = SchemaBuilder.struct().field('after', person).build();

  test("schemaless and schema'd top-level field", () => {
    assert.equal(
      transform('ExtractField$Value', { field: 'a' }).apply(source({ value: { a: 1 } }))!.value,
      1,
    );
    const out = transform('ExtractField$Key', { field: 'name' }).apply(
      source({ keySchema: person, key: alice() }),
    )!;
    assert.equal(out.key, 'alice');
    assert.equal(out.keySchema, Schemas.STRING);
  });

  test('V2 dotted and backtick paths reach nested values; V1 treats dots literally', () => {
    const value = new Struct(nested).put('after', alice());
    const out = transform('ExtractField$Value', { field: 'after.name', 'field.syntax.version': 'V2' }).apply(
      source({ valueSchema: nested, value }),
    )!;
    assert.equal(out.value, 'alice');
    assert.equal(
      transform('ExtractField$Value', { field: '`a.b`.c', 'field.syntax.version': 'v2' }).apply(
        source({ value: { 'a.b': { c: 3 } } }),
      )!.value,
      3,
    );
    assert.equal(
      transform('ExtractField$Value', { field: 'a.b' }).apply(source({ value: { 'a.b': 9, a: { b: 1 } } }))!
        .value,
      9,
    );
  });

  test('unknown field in a schema is named; null value passes as null', () => {
    assert.throws(
      () =>
        transform('ExtractField$Value', { field: 'nope' }).apply(
          source({ valueSchema: person, value: alice() }),
        ),
      /Unknown field: nope/,
    );
    assert.equal(transform('ExtractField$Value', { field: 'a' }).apply(source({ value: null }))!.value, null);
    assert.throws(
      () => transform('ExtractField$Value', { field: 'a', 'field.syntax.version': 'V3' }),
      /configuration field.syntax.version/,
    );
  });
});
