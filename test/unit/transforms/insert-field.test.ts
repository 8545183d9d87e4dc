import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldOf, LogicalTypeNames, SchemaBuilder, Schemas } from '../../../runtime/api/schema.js';
import { Struct } from '../../../runtime/api/struct.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { sink, source, transform } from './helpers.js';

const valueSchema = SchemaBuilder.struct().name('order').version(2).field('id', Schemas.INT32).build();

describe('InsertField', () => {
  test('schemaless value gets topic, partition, offset, timestamp and static fields; sink fields are kept', () => {
    const t = transform('InsertField$Value', {
      'topic.field': 'topic',
      'partition.field': 'partition',
      'offset.field': 'offset',
      'timestamp.field': 'ts',
      'static.field': 'origin',
      'static.value': 'dc1',
    });
    const out = t.apply(sink({ value: { id: 1 } }))!;
    assert.deepEqual(out.value, {
      id: 1,
      topic: 'orders',
      partition: 3,
      offset: 42,
      ts: 1_700_000_000_000,
      origin: 'dc1',
    });
    assert.equal(out.kafkaOffset, 42);
    assert.equal(out.originalTopic, 'orders');
  });

  test("schema'd value: new fields appended with ! required and default optional schemas, timestamp as Timestamp", () => {
    const t = transform('InsertField$Value', {
      'topic.field': 'topic!',
      'partition.field': 'partition?',
      'timestamp.field': 'ts',
    });
    const rec = source({
      valueSchema,
      value: new Struct(valueSchema).put('id', 5),
      kafkaPartition: 1,
      timestamp: 1000,
    });
    const out = t.apply(rec)!;
    const schema = out.valueSchema!;
    assert.deepEqual(
      schema.fields!.map((f) => f.name),
      ['id', 'topic', 'partition', 'ts'],
    );
    assert.equal(schema.name, 'order');
    assert.equal(schema.version, 2);
    assert.equal(fieldOf(schema, 'topic')!.schema.optional, false);
    assert.equal(fieldOf(schema, 'partition')!.schema.optional, true);
    assert.equal(fieldOf(schema, 'ts')!.schema.name, LogicalTypeNames.TIMESTAMP);
    const value = out.value as Struct;
    assert.equal(value.get('id'), 5);
    assert.equal(value.get('topic'), 'orders');
    assert.equal(value.get('partition'), 1);
    assert.deepEqual(value.get('ts'), new Date(1000));
    assert.deepEqual(out.sourceOffset, { pos: 7 });
  });

  test('the derived schema is cached per input schema', () => {
    const t = transform('InsertField$Value', { 'topic.field': 'topic' });
    const a = t.apply(source({ valueSchema, value: new Struct(valueSchema).put('id', 1) }))!;
    const b = t.apply(source({ valueSchema, value: new Struct(valueSchema).put('id', 2) }))!;
    assert.equal(a.valueSchema, b.valueSchema);
  });

  test('key variant works on the key; null key passes through', () => {
    const t = transform('InsertField$Key', { 'topic.field': 'topic' });
    assert.deepEqual(t.apply(source({ key: { k: 1 }, value: 'v' }))!.key, { k: 1, topic: 'orders' });
    const tombstoneKey = source({ key: null, value: 'v' });
    assert.equal(t.apply(tombstoneKey), tombstoneKey);
  });

  test('offset.field on a source record names SinkRecord in the error', () => {
    const t = transform('InsertField$Value', { 'offset.field': 'offset' });
    assert.throws(
      () => t.apply(source({ value: { a: 1 } })),
      /Only SinkRecord supported for \[field insertion\]/,
    );
  });

  test('non-map schemaless value is rejected with the purpose', () => {
    const t = transform('InsertField$Value', { 'topic.field': 'topic' });
    assert.throws(
      () => t.apply(source({ value: 'text' })),
      /Only Map objects supported in absence of schema for \[field insertion\], found: string/,
    );
  });

  test('configuration errors', () => {
    assert.throws(
      () => transform('InsertField$Value', {}),
      (e: unknown) => e instanceof SluiceError && e.message === 'No field insertion configured',
    );
    assert.throws(
      () => transform('InsertField$Value', { 'static.field': 'origin' }),
      (e: unknown) =>
        e instanceof SluiceError &&
        e.code === 'CONFIG_INVALID_VALUE' &&
        /configuration static.value: No value specified for static field: origin/.test(e.message),
    );
  });
});
