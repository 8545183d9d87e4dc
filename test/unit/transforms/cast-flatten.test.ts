import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fieldOf, SchemaBuilder, Schemas, timestampSchema } from '../../../runtime/api/schema.js';
import { Struct } from '../../../runtime/api/struct.js';
import { source, transform } from './helpers.js';

describe('Cast', () => {
  test('schemaless fields: int narrowing wraps like Java, strings parse, floats print with .0', () => {
    const t = transform('Cast$Value', { spec: 'a:int8,b:int32,c:boolean,d:string,e:float64,f:string' });
    const out = t.apply(
      source({ value: { a: 300, b: '42', c: 'TRUE', d: 7, e: '1.5', f: true, g: 'kept' } }),
    )!;
    assert.deepEqual(out.value, { a: 44, b: 42, c: true, d: '7', e: 1.5, f: 'true', g: 'kept' });
  });

  test("whole-value cast of a schema'd key keeps optionality", () => {
    const out = transform('Cast$Key', { spec: 'string' }).apply(
      source({ keySchema: Schemas.OPTIONAL_FLOAT64, key: 2 }),
    )!;
    assert.equal(out.key, '2.0');
    assert.equal(out.keySchema!.type, 'string');
    assert.equal(out.keySchema!.optional, true);
  });

  test("schema'd struct fields: new field schemas, bytes to base64, Timestamp to int64 millis", () => {
    const schema = SchemaBuilder.struct()
      .field('n', Schemas.INT64)
      .field('raw', Schemas.BYTES)
      .field('at', timestampSchema().build())
      .field('other', Schemas.STRING)
      .build();
    const value = new Struct(schema)
      .put('n', 12)
      .put('raw', Buffer.from('hi'))
      .put('at', new Date(5000))
      .put('other', 'x');
    const out = transform('Cast$Value', { spec: 'n:int16,raw:string,at:int64' }).apply(
      source({ valueSchema: schema, value }),
    )!;
    assert.equal(fieldOf(out.valueSchema!, 'n')!.schema.type, 'int16');
    const struct = out.value as Struct;
    assert.equal(struct.get('n'), 12);
    assert.equal(struct.get('raw'), 'aGk=');
    assert.equal(struct.get('at'), 5000);
    assert.equal(struct.get('other'), 'x');
  });

  test('errors: unsupported target, bad type, mixed whole-value spec, out of range value', () => {
    assert.throws(
      () => transform('Cast$Value', { spec: 'a:bytes' }),
      /configuration spec: Cast transformation does not support casting to BYTES/,
    );
    assert.throws(
      () => transform('Cast$Value', { spec: 'a:nope' }),
      /Invalid type found in casting spec: nope/,
    );
    assert.throws(() => transform('Cast$Value', { spec: 'int8,a:int16' }), /may only specify a single cast/);
    assert.throws(
      () => transform('Cast$Value', { spec: 'a:int8' }).apply(source({ value: { a: '1000' } })),
      /Value \(1000\) was out of range for requested data type/,
    );
    assert.throws(
      () => transform('Cast$Value', { spec: 'a:int8' }).apply(source({ value: { a: [1] } })),
      /does not support casting from ARRAY/,
    );
  });
});

describe('Flatten', () => {
  test('schemaless nested maps are joined with the delimiter; arrays are kept', () => {
    const out = transform('Flatten$Value', { delimiter: '_' }).apply(
      source({ value: { a: { b: { c: 1 }, d: [1, 2] }, e: null } }),
    )!;
    assert.deepEqual(out.value, { a_b_c: 1, a_d: [1, 2], e: null });
  });

  test("schema'd nested struct: children of an optional parent become optional", () => {
    const inner = SchemaBuilder.struct().optional().field('x', Schemas.INT32).build();
    const schema = SchemaBuilder.struct()
      .name('outer')
      .field('id', Schemas.INT32)
      .field('inner', inner)
      .build();
    const value = new Struct(schema).put('id', 1).put('inner', new Struct(inner).put('x', 9));
    const out = transform('Flatten$Value').apply(source({ valueSchema: schema, value }))!;
    assert.deepEqual(
      out.valueSchema!.fields!.map((f) => [f.name, f.schema.optional]),
      [
        ['id', false],
        ['inner.x', true],
      ],
    );
    assert.equal(out.valueSchema!.name, 'outer');
    assert.equal((out.value as Struct).get('inner.x'), 9);
    const noInner = transform('Flatten$Key').apply(
      source({ keySchema: schema, key: new Struct(schema).put('id', 2) }),
    )!;
    assert.equal((noInner.key as Struct).get('inner.x'), null);
  });

  test('map fields in a schema are rejected naming the field', () => {
    const schema = SchemaBuilder.struct()
      .field('m', SchemaBuilder.map(Schemas.STRING, Schemas.STRING).build())
      .build();
    assert.throws(
      () =>
        transform('Flatten$Value').apply(
          source({ valueSchema: schema, value: new Struct(schema).put('m', new Map()) }),
        ),
      /Flatten transformation does not support MAP for record with schemas \(for field m\)/,
    );
  });
});
