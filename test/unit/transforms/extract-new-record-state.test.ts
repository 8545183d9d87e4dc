import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaBuilder, Schemas, type Schema } from '../../../runtime/api/schema.js';
import { Struct } from '../../../runtime/api/struct.js';
import type { SinkRecord } from '../../../runtime/api/records.js';
import { sink, transform } from './helpers.js';

const rowSchema = SchemaBuilder.struct()
  .name('srv.public.orders.Value')
  .optional()
  .field('id', Schemas.INT32)
  .field('note', Schemas.OPTIONAL_STRING)
  .build();
const sourceSchema = SchemaBuilder.struct()
  .name('io.debezium.connector.postgresql.Source')
  .field('ts_ms', Schemas.INT64)
  .field('schema', Schemas.STRING)
  .field('table', Schemas.STRING)
  .field('lsn', Schemas.OPTIONAL_INT64)
  .build();
const envelopeSchema = SchemaBuilder.struct()
  .name('srv.public.orders.Envelope')
  .field('before', rowSchema)
  .field('after', rowSchema)
  .field('source', sourceSchema)
  .field('op', Schemas.STRING)
  .field('ts_ms', Schemas.OPTIONAL_INT64)
  .build();

function row(id: number, note: string): Struct {
  return new Struct(rowSchema).put('id', id).put('note', note);
}

function event(op: string, before: Struct | null, after: Struct | null): SinkRecord {
  const source = new Struct(sourceSchema)
    .put('ts_ms', 1_700_000_000_123)
    .put('schema', 'public')
    .put('table', 'orders')
    .put('lsn', 4242);
  const value = new Struct(envelopeSchema)
    .put('before', before)
    .put('after', after)
    .put('source', source)
    .put('op', op)
    .put('ts_ms', 1_700_000_000_999);
  return sink({ valueSchema: envelopeSchema, value });
}

const tombstone = sink({ valueSchema: null, value: null });

function fieldNames(schema: Schema | null): string[] {
  return (schema?.fields ?? []).map((f) => f.name);
}

describe('ExtractNewRecordState', () => {
  test("is registered under Debezium's class name and the short alias", () => {
    const t = transform('io.debezium.transforms.ExtractNewRecordState');
    assert.ok(t);
    assert.ok(transform('ExtractNewRecordState'));
  });

  test('an insert or update becomes its after state, schema and all', () => {
    const out = transform('ExtractNewRecordState').apply(event('u', row(1, 'old'), row(1, 'new')))!;
    assert.equal(out.valueSchema, rowSchema);
    assert.equal((out.value as Struct).get('note'), 'new');
  });

  test('by default (tombstone mode) deletes are dropped and tombstones kept', () => {
    const t = transform('ExtractNewRecordState');
    assert.equal(t.apply(event('d', row(1, 'x'), null)), null);
    assert.equal(t.apply(tombstone), tombstone);
  });

  test('delete.tombstone.handling.mode=rewrite: deletes become the before state with __deleted=true', () => {
    const t = transform('ExtractNewRecordState', { 'delete.tombstone.handling.mode': 'rewrite' });
    const deleted = t.apply(event('d', row(2, 'gone'), null))!;
    assert.deepEqual(fieldNames(deleted.valueSchema), ['id', 'note', '__deleted']);
    assert.equal((deleted.value as Struct).get('id'), 2);
    assert.equal((deleted.value as Struct).get('__deleted'), 'true');
    const inserted = t.apply(event('c', null, row(3, 'here')))!;
    assert.equal((inserted.value as Struct).get('__deleted'), 'false');
    assert.equal(t.apply(tombstone), null);
  });

  test('rewrite-with-tombstone keeps tombstones; drop removes both; delete-to-tombstone turns deletes into tombstones', () => {
    assert.equal(
      transform('ExtractNewRecordState', {
        'delete.tombstone.handling.mode': 'rewrite-with-tombstone',
      }).apply(tombstone),
      tombstone,
    );
    const drop = transform('ExtractNewRecordState', { 'delete.tombstone.handling.mode': 'drop' });
    assert.equal(drop.apply(event('d', row(1, 'x'), null)), null);
    assert.equal(drop.apply(tombstone), null);
    const toTombstone = transform('ExtractNewRecordState', {
      'delete.tombstone.handling.mode': 'delete-to-tombstone',
    });
    const converted = toTombstone.apply(event('d', row(1, 'x'), null))!;
    assert.equal(converted.value, null);
    assert.equal(converted.valueSchema, null);
    assert.equal(toTombstone.apply(tombstone), null);
  });

  test('legacy delete.handling.mode and drop.tombstones still work', () => {
    const none = transform('ExtractNewRecordState', {
      'delete.handling.mode': 'none',
      'drop.tombstones': 'false',
    });
    assert.equal(none.apply(event('d', row(1, 'x'), null))!.value, null);
    assert.equal(none.apply(tombstone), tombstone);
    const rewrite = transform('ExtractNewRecordState', { 'delete.handling.mode': 'rewrite' });
    assert.equal((rewrite.apply(event('d', row(1, 'x'), null))!.value as Struct).get('__deleted'), 'true');
    assert.equal(rewrite.apply(tombstone), null);
    assert.equal(
      transform('ExtractNewRecordState', { 'delete.handling.mode': 'drop' }).apply(tombstone),
      null,
      'legacy drop.tombstones defaults to true',
    );
  });

  test('add.fields adds envelope and source fields with the __ prefix', () => {
    const t = transform('ExtractNewRecordState', { 'add.fields': 'op,table,lsn,source.ts_ms' });
    const out = t.apply(event('c', null, row(5, 'n')))!;
    assert.deepEqual(fieldNames(out.valueSchema), [
      'id',
      'note',
      '__op',
      '__table',
      '__lsn',
      '__source_ts_ms',
    ]);
    const value = out.value as Struct;
    assert.equal(value.get('__op'), 'c');
    assert.equal(value.get('__table'), 'orders');
    assert.equal(value.get('__lsn'), 4242);
    assert.equal(value.get('__source_ts_ms'), 1_700_000_000_123);
    assert.equal(out.valueSchema?.name, 'srv.public.orders.Value');
  });

  test('add.headers adds headers; the value stays the plain after state', () => {
    const t = transform('ExtractNewRecordState', {
      'add.headers': 'op,ts_ms,db:source_db',
      'add.headers.prefix': '_',
    });
    const out = t.apply(event('u', row(1, 'a'), row(1, 'b')))!;
    assert.deepEqual(
      out.headers.map((h) => [h.key, h.value]),
      [
        ['_op', 'u'],
        ['_ts_ms', 1_700_000_000_999],
        ['source_db', null],
      ],
    );
    assert.equal(out.valueSchema, rowSchema);
  });

  test('records that are not change events pass unchanged; truncate events are dropped', () => {
    const t = transform('ExtractNewRecordState');
    const plain = sink({ valueSchema: rowSchema, value: row(1, 'x') });
    assert.equal(t.apply(plain), plain);
    assert.equal(t.apply(event('t', null, null)), null);
  });

  test('schemaless envelopes (plain JSON) are flattened too', () => {
    const t = transform('ExtractNewRecordState', { 'add.fields': 'op' });
    const out = t.apply(
      sink({ value: { op: 'c', before: null, after: { id: 1, note: 'x' }, source: { table: 't' } } }),
    )!;
    assert.deepEqual(out.value, { id: 1, note: 'x', __op: 'c' });
  });

  test('a bad mode names the key', () => {
    assert.throws(
      () => transform('ExtractNewRecordState', { 'delete.tombstone.handling.mode': 'keep' }),
      /delete\.tombstone\.handling\.mode/,
    );
  });
});
