import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SchemaBuilder, Schemas } from '../../../runtime/api/schema.js';
import { Struct } from '../../../runtime/api/struct.js';
import { sink, source, transform } from './helpers.js';

describe('RegexRouter', () => {
  test('rewrites a fully matching topic with $n groups; others pass unchanged', () => {
    const t = transform('RegexRouter', { regex: '(.*)\\.public\\.(.*)', replacement: '$2_$1' });
    const out = t.apply(sink({ topic: 'db.public.users' }))!;
    assert.equal(out.topic, 'users_db');
    assert.equal(out.originalTopic, 'orders');
    const other = sink({ topic: 'x.private.users' });
    assert.equal(t.apply(other), other);
  });

  test('Java replacement syntax: ${name} and escaped \\$', () => {
    assert.equal(
      transform('RegexRouter', { regex: '(?<t>.*)-raw', replacement: '${t}\\$clean' }).apply(
        source({ topic: 'a-raw' }),
      )!.topic,
      'a$clean',
    );
  });

  test('invalid regex and missing replacement name their keys', () => {
    assert.throws(
      () => transform('RegexRouter', { regex: '(', replacement: 'x' }),
      /Invalid value \( for configuration regex: Invalid regex/,
    );
    assert.throws(
      () => transform('RegexRouter', { regex: 'a' }),
      /Missing required configuration "replacement"/,
    );
    assert.throws(
      () => transform('RegexRouter', { regex: 'a', replacement: '$2' }).apply(source({ topic: 'a' })),
      /No group 2/,
    );
  });
});

describe('Filter', () => {
  test('drops every record', () => {
    assert.equal(transform('Filter').apply(source({ value: 1 })), null);
  });
});

describe('InsertHeader and DropHeaders', () => {
  test('InsertHeader adds a typed literal header and keeps existing ones', () => {
    const rec = source({ headers: [{ key: 'a', schema: null, value: 'x' }] });
    const out = transform('InsertHeader', { header: 'version', 'value.literal': '42' }).apply(rec)!;
    assert.deepEqual(out.headers, [
      { key: 'a', schema: null, value: 'x' },
      { key: 'version', schema: Schemas.INT8, value: 42 },
    ]);
    const text = transform('InsertHeader', { header: 'by', 'value.literal': 'sluice' }).apply(rec)!;
    assert.deepEqual(text.headers.at(-1), { key: 'by', schema: Schemas.STRING, value: 'sluice' });
    assert.throws(
      () => transform('InsertHeader', { header: 'h' }),
      /Missing required configuration "value.literal"/,
    );
  });

  test('DropHeaders removes every header with a listed key', () => {
    const rec = source({
      headers: [
        { key: 'a', schema: null, value: 1 },
        { key: 'b', schema: null, value: 2 },
        { key: 'a', schema: null, value: 3 },
      ],
    });
    assert.deepEqual(
      transform('DropHeaders', { headers: 'a' })
        .apply(rec)!
        .headers.map((h) => h.key),
      ['b'],
    );
    assert.throws(() => transform('DropHeaders', { headers: '' }), /configuration headers: Empty list/);
  });
});

describe('HeaderFrom', () => {
  const schema = SchemaBuilder.struct()
    .name('v')
    .field('id', Schemas.INT32)
    .field('trace', Schemas.STRING)
    .build();

  test('schemaless move removes the field and adds the header', () => {
    const out = transform('HeaderFrom$Value', {
      fields: 'trace',
      headers: 'trace-id',
      operation: 'move',
    }).apply(source({ value: { id: 1, trace: 't1' } }))!;
    assert.deepEqual(out.value, { id: 1 });
    assert.deepEqual(out.headers, [{ key: 'trace-id', schema: null, value: 't1' }]);
  });

  test("schema'd copy keeps the value and uses the field schema; move drops the field from the schema", () => {
    const value = new Struct(schema).put('id', 1).put('trace', 't1');
    const copied = transform('HeaderFrom$Key', { fields: 'trace', headers: 'h', operation: 'copy' }).apply(
      source({ keySchema: schema, key: value }),
    )!;
    assert.equal(copied.key, value);
    assert.deepEqual(copied.headers, [{ key: 'h', schema: Schemas.STRING, value: 't1' }]);
    const moved = transform('HeaderFrom$Value', { fields: 'trace', headers: 'h', operation: 'move' }).apply(
      source({ valueSchema: schema, value }),
    )!;
    assert.deepEqual(
      moved.valueSchema!.fields!.map((f) => f.name),
      ['id'],
    );
    assert.equal((moved.value as Struct).get('id'), 1);
  });

  test('fields and headers must pair up; operation is checked', () => {
    assert.throws(
      () => transform('HeaderFrom$Value', { fields: 'a,b', headers: 'h', operation: 'copy' }),
      /'fields' config must have the same number of elements as 'headers' config/,
    );
    assert.throws(
      () => transform('HeaderFrom$Value', { fields: 'a', headers: 'h', operation: 'cut' }),
      /Invalid value cut for configuration operation/,
    );
  });
});

describe('SetSchemaMetadata', () => {
  test('sets name and version on the schema and re-wraps the struct', () => {
    const schema = SchemaBuilder.struct().name('old').field('id', Schemas.INT32).build();
    const out = transform('SetSchemaMetadata$Value', {
      'schema.name': 'com.acme.Order',
      'schema.version': '3',
    }).apply(source({ valueSchema: schema, value: new Struct(schema).put('id', 1) }))!;
    assert.equal(out.valueSchema!.name, 'com.acme.Order');
    assert.equal(out.valueSchema!.version, 3);
    assert.equal((out.value as Struct).schema, out.valueSchema);
    assert.equal((out.value as Struct).get('id'), 1);
  });

  test('key variant on a primitive schema; schemaless data is rejected; config needs name or version', () => {
    const out = transform('SetSchemaMetadata$Key', { 'schema.version': '2' }).apply(
      source({ keySchema: Schemas.STRING, key: 'k' }),
    )!;
    assert.equal(out.keySchema!.version, 2);
    assert.equal(out.key, 'k');
    assert.throws(
      () => transform('SetSchemaMetadata$Value', { 'schema.name': 'x' }).apply(source({ value: { a: 1 } })),
      /Schema required for \[updating schema metadata\]/,
    );
    assert.throws(
      () => transform('SetSchemaMetadata$Value', {}),
      /Neither schema name nor version configured/,
    );
    assert.throws(
      () => transform('SetSchemaMetadata$Value', { 'schema.version': 'two' }),
      /Invalid value two for configuration schema.version/,
    );
  });
});
