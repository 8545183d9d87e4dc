import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dateSchema,
  decimalSchema,
  SchemaBuilder,
  Schemas,
  timeSchema,
  timestampSchema,
  type Schema,
} from '../../../runtime/api/schema.js';
import { Struct } from '../../../runtime/api/struct.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { JsonConverter } from '../../../runtime/converters/index.js';

const TOPIC = 'topic';

function converter(config: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(config, false);
  return c;
}

function written(c: JsonConverter, schema: Schema | null, value: unknown): string {
  const bytes = c.fromConnectData(TOPIC, schema, value);
  assert.ok(bytes !== null);
  return bytes.toString('utf8');
}

function read(c: JsonConverter, text: string): { schema: Schema | null; value: unknown } {
  return c.toConnectData(TOPIC, Buffer.from(text, 'utf8'));
}

// Expected bytes follow Connect's JsonConverter/JsonSchema field order and Jackson's compact output.
describe('JsonConverter.fromConnectData writes the bytes Kafka Connect writes', () => {
  const c = converter();
  const cases: ReadonlyArray<[string, Schema, unknown, string]> = [
    ['boolean', Schemas.BOOLEAN, true, '{"schema":{"type":"boolean","optional":false},"payload":true}'],
    ['int8', Schemas.INT8, 12, '{"schema":{"type":"int8","optional":false},"payload":12}'],
    ['int16', Schemas.INT16, 12, '{"schema":{"type":"int16","optional":false},"payload":12}'],
    ['int32', Schemas.INT32, 12, '{"schema":{"type":"int32","optional":false},"payload":12}'],
    [
      'int64',
      Schemas.INT64,
      4398046511104,
      '{"schema":{"type":"int64","optional":false},"payload":4398046511104}',
    ],
    [
      'int64 bigint',
      Schemas.INT64,
      9223372036854775807n,
      '{"schema":{"type":"int64","optional":false},"payload":9223372036854775807}',
    ],
    ['float32', Schemas.FLOAT32, 12.34, '{"schema":{"type":"float","optional":false},"payload":12.34}'],
    [
      'float32 rounded input',
      Schemas.FLOAT32,
      Math.fround(12.34),
      '{"schema":{"type":"float","optional":false},"payload":12.34}',
    ],
    ['float64', Schemas.FLOAT64, 12.34, '{"schema":{"type":"double","optional":false},"payload":12.34}'],
    [
      'float64 integral',
      Schemas.FLOAT64,
      100,
      '{"schema":{"type":"double","optional":false},"payload":100.0}',
    ],
    [
      'float64 large',
      Schemas.FLOAT64,
      12345678.9,
      '{"schema":{"type":"double","optional":false},"payload":1.23456789E7}',
    ],
    ['float64 NaN', Schemas.FLOAT64, NaN, '{"schema":{"type":"double","optional":false},"payload":"NaN"}'],
    [
      'string',
      Schemas.STRING,
      'test-string',
      '{"schema":{"type":"string","optional":false},"payload":"test-string"}',
    ],
    [
      'string with control chars',
      Schemas.STRING,
      'a\u0001\n"\\',
      '{"schema":{"type":"string","optional":false},"payload":"a\\u0001\\n\\"\\\\"}',
    ],
    [
      'bytes',
      Schemas.BYTES,
      Buffer.from('test-string'),
      '{"schema":{"type":"bytes","optional":false},"payload":"dGVzdC1zdHJpbmc="}',
    ],
    [
      'array',
      SchemaBuilder.array(Schemas.INT32).build(),
      [1, 2, 3],
      '{"schema":{"type":"array","items":{"type":"int32","optional":false},"optional":false},"payload":[1,2,3]}',
    ],
    [
      'map with string keys',
      SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build(),
      new Map([
        ['key1', 12],
        ['key2', 15],
      ]),
      '{"schema":{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":{"key1":12,"key2":15}}',
    ],
    [
      'map with int keys',
      SchemaBuilder.map(Schemas.INT32, Schemas.INT32).build(),
      new Map([
        [1, 12],
        [2, 15],
      ]),
      '{"schema":{"type":"map","keys":{"type":"int32","optional":false},"values":{"type":"int32","optional":false},"optional":false},"payload":[[1,12],[2,15]]}',
    ],
    [
      'decimal',
      decimalSchema(2).build(),
      '1.56',
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"AJw="}',
    ],
    [
      'negative decimal',
      decimalSchema(2).build(),
      '-1.56',
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"/2Q="}',
    ],
    [
      'date',
      dateSchema().build(),
      new Date(10000 * 86400000),
      '{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Date","version":1},"payload":10000}',
    ],
    [
      'time',
      timeSchema().build(),
      new Date(14400000),
      '{"schema":{"type":"int32","optional":false,"name":"org.apache.kafka.connect.data.Time","version":1},"payload":14400000}',
    ],
    [
      'timestamp',
      timestampSchema().build(),
      new Date(4000000000),
      '{"schema":{"type":"int64","optional":false,"name":"org.apache.kafka.connect.data.Timestamp","version":1},"payload":4000000000}',
    ],
    [
      'schema metadata',
      SchemaBuilder.bool()
        .name('bool')
        .version(3)
        .doc('the documentation')
        .parameter('foo', 'bar')
        .defaultValue(true)
        .build(),
      false,
      '{"schema":{"type":"boolean","optional":false,"name":"bool","version":3,"doc":"the documentation","parameters":{"foo":"bar"},"default":true},"payload":false}',
    ],
  ];
  for (const [name, schema, value, expected] of cases) {
    test(name, () => assert.equal(written(c, schema, value), expected));
  }

  test('struct: field schemas carry "field" last, payload in field order', () => {
    const schema = SchemaBuilder.struct()
      .field('field1', Schemas.BOOLEAN)
      .field('field2', Schemas.STRING)
      .field('field3', SchemaBuilder.string().optional().build())
      .build();
    const struct = new Struct(schema).put('field1', true).put('field2', 'string2');
    assert.equal(
      written(c, schema, struct),
      '{"schema":{"type":"struct","fields":[{"type":"boolean","optional":false,"field":"field1"},{"type":"string","optional":false,"field":"field2"},{"type":"string","optional":true,"field":"field3"}],"optional":false},"payload":{"field1":true,"field2":"string2","field3":null}}',
    );
  });

  test('null value of an optional field with a default: default, or null when replace.null.with.default=false', () => {
    const schema = SchemaBuilder.struct()
      .field('field1', SchemaBuilder.string().optional().defaultValue('default').build())
      .build();
    const struct = new Struct(schema);
    const expectedSchema =
      '{"type":"struct","fields":[{"type":"string","optional":true,"default":"default","field":"field1"}],"optional":false}';
    assert.equal(written(c, schema, struct), `{"schema":${expectedSchema},"payload":{"field1":"default"}}`);
    const keepNulls = converter({ 'replace.null.with.default': 'false' });
    assert.equal(
      written(keepNulls, schema, struct),
      `{"schema":${expectedSchema},"payload":{"field1":null}}`,
    );
    const optional = SchemaBuilder.string().optional().defaultValue('default').build();
    assert.equal(
      written(c, optional, null),
      '{"schema":{"type":"string","optional":true,"default":"default"},"payload":"default"}',
    );
    assert.equal(
      written(keepNulls, optional, null),
      '{"schema":{"type":"string","optional":true,"default":"default"},"payload":null}',
    );
  });

  test('decimal.format=NUMERIC writes BigDecimal.toString at the schema scale', () => {
    const numeric = converter({ 'decimal.format': 'numeric' });
    assert.equal(
      written(numeric, decimalSchema(2).build(), '1.56'),
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":1.56}',
    );
    assert.match(written(numeric, decimalSchema(4).build(), '1.56'), /"payload":1\.5600}$/);
    assert.match(written(numeric, decimalSchema(10).build(), '0.0000000001'), /"payload":1E-10}$/);
  });

  test('schemaless values: null schema gives "schema":null, schemas.enable=false gives plain JSON', () => {
    assert.equal(written(c, null, [1, 'string', true]), '{"schema":null,"payload":[1,"string",true]}');
    const plain = converter({ 'schemas.enable': 'false' });
    assert.equal(
      written(plain, null, { a: 1, b: [1.5, null], big: 9007199254740993n }),
      '{"a":1,"b":[1.5,null],"big":9007199254740993}',
    );
    assert.equal(
      written(
        plain,
        null,
        new Map<unknown, unknown>([
          ['string', 12],
          [52, 'string'],
        ]),
      ),
      '[["string",12],[52,"string"]]',
    );
    assert.equal(written(plain, Schemas.INT32, 5), '5');
  });

  test('tombstones: null schema and null value give null bytes; null bytes give null schema and value', () => {
    assert.equal(c.fromConnectData(TOPIC, null, null), null);
    assert.equal(converter({ 'schemas.enable': 'false' }).fromConnectData(TOPIC, null, null), null);
    assert.deepEqual(c.toConnectData(TOPIC, null), { schema: null, value: null });
    assert.equal(
      written(c, Schemas.OPTIONAL_STRING, null),
      '{"schema":{"type":"string","optional":true},"payload":null}',
    );
  });

  test('errors are CONVERSION_FAILED SluiceErrors that say what is wrong', () => {
    const expectFailure = (fn: () => unknown, message: RegExp): void => {
      assert.throws(
        fn,
        (error: unknown) =>
          error instanceof SluiceError && error.code === 'CONVERSION_FAILED' && message.test(error.message),
      );
    };
    expectFailure(() => c.fromConnectData(TOPIC, Schemas.FLOAT64, true), /Invalid type for FLOAT64: boolean/);
    expectFailure(
      () => c.fromConnectData(TOPIC, Schemas.STRING, null),
      /null value for field that is required and has no default value/,
    );
    expectFailure(
      () => c.fromConnectData(TOPIC, dateSchema().build(), new Date(1000)),
      /Date type should not have any time fields/,
    );
    expectFailure(
      () => c.fromConnectData(TOPIC, decimalSchema(1).build(), '1.25'),
      /more fractional digits than the schema's scale 1/,
    );
    const other = SchemaBuilder.struct().field('x', Schemas.INT32).build();
    const schema = SchemaBuilder.struct().field('y', Schemas.INT32).build();
    expectFailure(
      () => c.fromConnectData(TOPIC, schema, new Struct(other).put('x', 1)),
      /Mismatching schema/,
    );
    expectFailure(
      () => read(c, '{"a":1}'),
      /requires "schema" and "payload" fields.*set schemas\.enable=false/,
    );
    expectFailure(
      () => read(c, '{"schema":null,"payload":1,"x":2}'),
      /requires "schema" and "payload" fields/,
    );
    expectFailure(() => read(c, '{"schema":{"type":"nope"},"payload":1}'), /Unknown schema type: nope/);
    expectFailure(
      () => read(c, '{"schema":{"type":"int32"},"payload":null}'),
      /Invalid null value for required INT32 field/,
    );
    expectFailure(
      () => read(c, '{"schema":{"type":"int32"},"payload":"x"}'),
      /INT32 field: expected a number but found STRING/,
    );
    expectFailure(
      () =>
        read(
          c,
          '{"schema":{"type":"map","keys":{"type":"int32"},"values":{"type":"int32"}},"payload":{"a":1}}',
        ),
      /non-string fields should be encoded as JSON array of tuples, but found OBJECT/,
    );
    expectFailure(
      () => read(c, '{"schema":{"type":"int32","name":"org.apache.kafka.connect.data.Date"},"payload":"x"}'),
      /Date, underlying representation should be integer but was STRING/,
    );
    expectFailure(() => read(converter({ 'schemas.enable': 'false' }), '{"a":'), /serialization error/);
    assert.throws(
      () => converter({ 'decimal.format': 'HEX' }),
      (error: unknown) =>
        error instanceof SluiceError &&
        error.code === 'CONFIG_INVALID_VALUE' &&
        /decimal\.format/.test(error.message),
    );
  });
});

describe('JsonConverter.toConnectData', () => {
  const c = converter();

  test('reads Connect test envelopes (spaces, missing optional, leading zeros)', () => {
    assert.deepEqual(read(c, '{ "schema": { "type": "boolean" }, "payload": true }'), {
      schema: Schemas.BOOLEAN,
      value: true,
    });
    assert.deepEqual(read(c, '{ "schema": { "type": "boolean", "optional": true }, "payload": null }'), {
      schema: Schemas.OPTIONAL_BOOLEAN,
      value: null,
    });
    assert.deepEqual(
      read(c, '{ "schema": { "type": "int64" }, "payload": 00000123456789 }').value,
      123456789,
    );
    assert.deepEqual(read(c, '{ "schema": { "type": "int8" }, "payload": 0012 }').value, 12);
    assert.equal(
      read(c, '{ "schema": { "type": "boolean", "default": true }, "payload": null }').value,
      true,
    );
    const withMeta = read(
      c,
      '{ "schema": { "type": "boolean", "optional": false, "name": "bool", "version": 2, "doc": "the documentation", "parameters": { "foo": "bar" }}, "payload": true }',
    );
    assert.deepEqual(
      withMeta.schema,
      SchemaBuilder.bool().name('bool').version(2).doc('the documentation').parameter('foo', 'bar').build(),
    );
  });

  test('int64 beyond 2^53 comes back as an exact bigint', () => {
    const result = read(c, '{"schema":{"type":"int64","optional":false},"payload":9223372036854775807}');
    assert.equal(result.value, 9223372036854775807n);
    assert.equal(
      read(c, '{"schema":{"type":"int64","optional":false},"payload":-9007199254740993}').value,
      -9007199254740993n,
    );
  });

  test('logical types', () => {
    const decimal =
      '{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "2" } }, "payload": "AJw=" }';
    assert.equal(read(c, decimal).value, '1.56');
    const numeric =
      '{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "17" } }, "payload": 1.23456789123456789 }';
    assert.equal(read(c, numeric).value, '1.23456789123456789');
    const padded =
      '{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "parameters": { "scale": "4" } }, "payload": 1.56 }';
    assert.equal(read(c, padded).value, '1.5600');
    const withDefault =
      '{ "schema": { "type": "bytes", "name": "org.apache.kafka.connect.data.Decimal", "version": 1, "default": "AJw=", "parameters": { "scale": "2" } }, "payload": null }';
    assert.equal(read(c, withDefault).value, '1.56');
    assert.deepEqual(
      read(
        c,
        '{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Date", "version": 1 }, "payload": 10000 }',
      ).value,
      new Date(10000 * 86400000),
    );
    assert.deepEqual(
      read(
        c,
        '{ "schema": { "type": "int32", "name": "org.apache.kafka.connect.data.Time", "version": 1 }, "payload": 14400000 }',
      ).value,
      new Date(14400000),
    );
    assert.deepEqual(
      read(
        c,
        '{ "schema": { "type": "int64", "name": "org.apache.kafka.connect.data.Timestamp", "version": 1, "default": 42 }, "payload": null }',
      ).value,
      new Date(42),
    );
  });

  test('maps, arrays and structs', () => {
    assert.deepEqual(
      read(
        c,
        '{ "schema": { "type": "map", "keys": { "type" : "int32" }, "values": { "type" : "int32" } }, "payload": [ [1, 12], [2, 15] ] }',
      ).value,
      new Map([
        [1, 12],
        [2, 15],
      ]),
    );
    assert.deepEqual(
      read(
        c,
        '{ "schema": { "type": "map", "keys": { "type" : "string" }, "values": { "type" : "int32" } }, "payload": { "key1": 12, "key2": 15} }',
      ).value,
      new Map([
        ['key1', 12],
        ['key2', 15],
      ]),
    );
    const result = read(
      c,
      '{ "schema": { "type": "struct", "fields": [{ "field":"optional", "type": "string", "optional": true }, {  "field": "required", "type": "string" }] }, "payload": { "required": "required" } }',
    );
    assert.ok(result.value instanceof Struct);
    assert.equal(result.value.get('required'), 'required');
    assert.equal(result.value.get('optional'), null);
  });

  test('schemaless: objects stay plain objects, integers beyond 2^53 are bigint, empty bytes are null', () => {
    const plain = converter({ 'schemas.enable': 'false' });
    assert.deepEqual(read(plain, '{ "a": "", "b": null, "n": [1, 12.24, 123456789012345678901] }'), {
      schema: null,
      value: { a: '', b: null, n: [1, 12.24, 123456789012345678901n] },
    });
    assert.deepEqual(read(plain, ''), { schema: null, value: null });
    assert.deepEqual(read(c, '{ "schema": null, "payload": [1, "2", 3] }'), {
      schema: null,
      value: [1, '2', 3],
    });
  });

  test('round trips: every type written and read back is equal', () => {
    const inner = SchemaBuilder.struct()
      .name('inner')
      .field('when', timestampSchema().optional().build())
      .build();
    const schema = SchemaBuilder.struct()
      .name('com.example.Row')
      .field('i8', Schemas.INT8)
      .field('i16', Schemas.INT16)
      .field('i32', Schemas.INT32)
      .field('i64', Schemas.INT64)
      .field('f32', Schemas.FLOAT32)
      .field('f64', Schemas.FLOAT64)
      .field('bool', Schemas.BOOLEAN)
      .field('str', Schemas.STRING)
      .field('bytes', Schemas.BYTES)
      .field('dec', decimalSchema(3).build())
      .field('date', dateSchema().build())
      .field('time', timeSchema().build())
      .field('list', SchemaBuilder.array(Schemas.STRING).build())
      .field('byKey', SchemaBuilder.map(Schemas.INT64, inner).build())
      .field('opt', SchemaBuilder.int32().optional().defaultValue(7).build())
      .build();
    const innerValue = new Struct(inner).put('when', new Date(1700000000123));
    const value = new Struct(schema)
      .put('i8', -8)
      .put('i16', 1600)
      .put('i32', -320000)
      .put('i64', 9007199254740993n)
      .put('f32', 0.5)
      .put('f64', -1.25e-10)
      .put('bool', true)
      .put('str', 'héllo "world" ✓')
      .put('bytes', Buffer.from([0, 255, 7]))
      .put('dec', '-123456789012345678.901')
      .put('date', new Date(19000 * 86400000))
      .put('time', new Date(3723004))
      .put('list', ['a', 'b'])
      .put('byKey', new Map([[5, innerValue]]))
      .put('opt', 3);
    for (const config of [{}, { 'decimal.format': 'NUMERIC' }] as Record<string, string>[]) {
      const conv = converter(config);
      const bytes = conv.fromConnectData(TOPIC, schema, value);
      const back = conv.toConnectData(TOPIC, bytes);
      assert.ok(back.value instanceof Struct);
      for (const field of schema.fields ?? [])
        assert.deepEqual(back.value.get(field.name), value.get(field.name), field.name);
      // Writing what was read gives the same bytes again.
      assert.deepEqual(conv.fromConnectData(TOPIC, back.schema, back.value), bytes);
    }
  });
});

describe('JsonConverter as header converter', () => {
  test('delegates to the data conversion', () => {
    const c = new JsonConverter();
    c.configure({});
    const bytes = c.fromConnectHeader(TOPIC, 'h', Schemas.STRING, 'test-string');
    assert.equal(bytes?.toString(), '{"schema":{"type":"string","optional":false},"payload":"test-string"}');
    assert.deepEqual(
      c.toConnectHeader(
        TOPIC,
        'h',
        Buffer.from('{ "schema": { "type": "string" }, "payload": "foo-bar-baz" }'),
      ),
      { schema: Schemas.STRING, value: 'foo-bar-baz' },
    );
  });
});
