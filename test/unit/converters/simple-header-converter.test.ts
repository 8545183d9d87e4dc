import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dateSchema,
  decimalSchema,
  SchemaBuilder,
  Schemas,
  timeSchema,
  timestampSchema,
} from '../../../runtime/api/schema.js';
import { Struct } from '../../../runtime/api/struct.js';
import { parseHeaderString, SimpleHeaderConverter } from '../../../runtime/converters/index.js';

const header = new SimpleHeaderConverter();
header.configure({});

function toBytesText(
  schema: Parameters<SimpleHeaderConverter['fromConnectHeader']>[2],
  value: unknown,
): string | undefined {
  return header.fromConnectHeader('t', 'h', schema, value)?.toString('utf8');
}

function fromText(text: string): { schema: unknown; value: unknown } {
  return header.toConnectHeader('t', 'h', Buffer.from(text, 'utf8'));
}

describe('SimpleHeaderConverter writes Values.convertToString', () => {
  test('primitives in their Java string form', () => {
    assert.equal(toBytesText(Schemas.STRING, 'plain "text"'), 'plain "text"');
    assert.equal(toBytesText(Schemas.INT32, 42), '42');
    assert.equal(toBytesText(Schemas.INT64, 9007199254740993n), '9007199254740993');
    assert.equal(toBytesText(Schemas.FLOAT64, 1), '1.0');
    assert.equal(toBytesText(Schemas.FLOAT32, Math.fround(1.1)), '1.1');
    assert.equal(toBytesText(Schemas.BOOLEAN, true), 'true');
    assert.equal(toBytesText(Schemas.BYTES, Buffer.from('hi')), 'aGk=');
    assert.equal(toBytesText(decimalSchema(2).build(), '1.50'), '1.50');
    assert.equal(header.fromConnectHeader('t', 'h', Schemas.OPTIONAL_STRING, null), null);
  });

  test('dates as ISO-8601 in UTC: time of day, date, or timestamp', () => {
    assert.equal(toBytesText(timeSchema().build(), new Date(45296789)), '12:34:56.789Z');
    assert.equal(toBytesText(dateSchema().build(), new Date(Date.UTC(2024, 0, 2))), '2024-01-02');
    assert.equal(
      toBytesText(timestampSchema().build(), new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))),
      '2024-01-02T03:04:05.006Z',
    );
  });

  test('lists, maps and structs in the JSON-like syntax, strings quoted and escaped', () => {
    assert.equal(toBytesText(SchemaBuilder.array(Schemas.STRING).build(), ['a', 'b"c']), '["a","b\\"c"]');
    assert.equal(
      toBytesText(
        null,
        new Map<unknown, unknown>([
          ['k', 1],
          ['j', null],
        ]),
      ),
      '{"k":1,"j":null}',
    );
    const schema = SchemaBuilder.struct().field('name', Schemas.STRING).field('n', Schemas.INT32).build();
    assert.equal(toBytesText(schema, new Struct(schema).put('name', 'x').put('n', 3)), '{"name":"x","n":3}');
  });
});

describe('SimpleHeaderConverter reads with Values.parseString inference', () => {
  test('booleans, null and the smallest fitting integer type', () => {
    assert.deepEqual(fromText('true'), { schema: Schemas.BOOLEAN, value: true });
    assert.deepEqual(fromText('  false  '), { schema: Schemas.BOOLEAN, value: false });
    assert.deepEqual(fromText('null'), { schema: null, value: null });
    assert.deepEqual(fromText('12'), { schema: Schemas.INT8, value: 12 });
    assert.deepEqual(fromText('300.0'), { schema: Schemas.INT16, value: 300 });
    assert.deepEqual(fromText('66000'), { schema: Schemas.INT32, value: 66000 });
    assert.deepEqual(fromText('-5000000000'), { schema: Schemas.INT64, value: -5000000000 });
    assert.deepEqual(fromText('9223372036854775807'), { schema: Schemas.INT64, value: 9223372036854775807n });
  });

  test('floats and out-of-range integers', () => {
    assert.deepEqual(fromText('1.1'), { schema: Schemas.FLOAT32, value: 1.1 });
    assert.deepEqual(fromText('1e300'), { schema: Schemas.FLOAT64, value: 1e300 });
    assert.equal(fromText('1.5e300').schema, Schemas.FLOAT64);
    const huge = fromText('123456789012345678901234567890');
    assert.equal((huge.schema as { name?: string }).name, 'org.apache.kafka.connect.data.Decimal');
    assert.equal(huge.value, '123456789012345678901234567890');
  });

  test('strings: anything else, including almost-literals', () => {
    assert.deepEqual(fromText(''), { schema: Schemas.STRING, value: '' });
    assert.deepEqual(fromText('hello world'), { schema: Schemas.STRING, value: 'hello world' });
    for (const text of [
      'true}',
      'false]',
      'null=',
      '{foo: 3}',
      '{3: foo}',
      '[foo]',
      '[0 1 2]',
      '{6:9 4:20}',
      '{null: 3}',
      '12abc',
    ]) {
      assert.deepEqual(fromText(text), { schema: Schemas.STRING, value: text }, text);
    }
  });

  test('arrays and maps with a common element schema', () => {
    const numbers = fromText('[1, 2.5, 300]');
    assert.deepEqual(numbers.schema, SchemaBuilder.array(Schemas.FLOAT32).build());
    assert.deepEqual(numbers.value, [1, 2.5, 300]);
    assert.deepEqual(fromText('[true, false]').value, [true, false]);
    const map = fromText('{"a": 1, "b": 2}');
    assert.deepEqual(map.schema, SchemaBuilder.map(Schemas.STRING, Schemas.INT8).build());
    assert.deepEqual(
      map.value,
      new Map([
        ['a', 1],
        ['b', 2],
      ]),
    );
    assert.deepEqual(fromText('{3: null}').value, new Map([[3, null]]));
    assert.deepEqual(fromText('[]').value, []);
    assert.equal((fromText('[1, "a"]').schema as { valueSchema?: unknown }).valueSchema, undefined);
  });

  test('ISO-8601 temporal values', () => {
    assert.deepEqual(fromText('2024-01-02'), {
      schema: dateSchema().build(),
      value: new Date(Date.UTC(2024, 0, 2)),
    });
    assert.deepEqual(fromText('12:34:56.789Z'), { schema: timeSchema().build(), value: new Date(45296789) });
    assert.deepEqual(fromText('2024-01-02T03:04:05.006Z'), {
      schema: timestampSchema().build(),
      value: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)),
    });
  });

  test('round trip of what the converter writes', () => {
    const schema = SchemaBuilder.map(Schemas.STRING, SchemaBuilder.array(Schemas.INT8).build()).build();
    const value = new Map([
      ['xs', [1, 2]],
      ['ys', [3]],
    ]);
    const bytes = header.fromConnectHeader('t', 'h', schema, value);
    assert.deepEqual(header.toConnectHeader('t', 'h', bytes), { schema, value });
    assert.deepEqual(parseHeaderString('"quoted"'), { schema: Schemas.STRING, value: '"quoted"' });
  });
});
