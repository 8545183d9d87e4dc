import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Schemas } from '../../../runtime/api/schema.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import {
  ByteArrayConverter,
  converterPlugins,
  DoubleConverter,
  FloatConverter,
  headerConverterPlugins,
  IntegerConverter,
  LongConverter,
  ShortConverter,
  StringConverter,
} from '../../../runtime/converters/index.js';
import {
  formatJavaBigDecimal,
  formatJavaDouble,
  formatJavaFloat,
} from '../../../runtime/converters/java-number-format.js';

const isConversionFailure = (message: RegExp) => (error: unknown) =>
  error instanceof SluiceError && error.code === 'CONVERSION_FAILED' && message.test(error.message);

describe('StringConverter', () => {
  test('String(value) in UTF-8 by default; reads OPTIONAL_STRING', () => {
    const c = new StringConverter();
    c.configure({}, false);
    assert.deepEqual(c.fromConnectData('t', null, 'héllo'), Buffer.from('héllo', 'utf8'));
    assert.deepEqual(c.fromConnectData('t', null, 42), Buffer.from('42'));
    assert.equal(c.fromConnectData('t', null, null), null);
    assert.deepEqual(c.toConnectData('t', Buffer.from('x')), { schema: Schemas.OPTIONAL_STRING, value: 'x' });
    assert.deepEqual(c.toConnectData('t', null), { schema: Schemas.OPTIONAL_STRING, value: null });
  });

  test('converter.encoding', () => {
    const c = new StringConverter();
    c.configure({ 'converter.encoding': 'UTF-16BE' }, true);
    assert.deepEqual(c.fromConnectData('t', null, 'A'), Buffer.from([0x00, 0x41]));
    assert.equal(c.toConnectData('t', Buffer.from([0x00, 0x41])).value, 'A');
    c.configure({ 'converter.encoding': 'ISO-8859-1' }, false);
    assert.deepEqual(c.fromConnectData('t', null, 'é✓'), Buffer.from([0xe9, 0x3f]));
    assert.throws(() => c.configure({ 'converter.encoding': 'EBCDIC' }, false), /converter\.encoding/);
  });
});

describe('ByteArrayConverter', () => {
  test('passes bytes through and rejects anything else', () => {
    const c = new ByteArrayConverter();
    const bytes = Buffer.from([1, 2, 3]);
    assert.equal(c.fromConnectData('t', Schemas.BYTES, bytes), bytes);
    assert.deepEqual(c.toConnectData('t', bytes), { schema: Schemas.OPTIONAL_BYTES, value: bytes });
    assert.equal(c.fromConnectData('t', null, null), null);
    assert.throws(
      () => c.fromConnectData('t', null, 'text'),
      isConversionFailure(/not compatible with objects of type string/),
    );
    assert.throws(
      () => c.fromConnectData('t', Schemas.STRING, bytes),
      isConversionFailure(/Invalid schema type for ByteArrayConverter: STRING/),
    );
  });
});

describe("number converters use Kafka's big-endian serializers", () => {
  test('each width round trips and matches the serializer bytes', () => {
    assert.deepEqual(new ShortConverter().fromConnectData('t', null, -2), Buffer.from([0xff, 0xfe]));
    assert.deepEqual(new IntegerConverter().fromConnectData('t', null, 258), Buffer.from([0, 0, 1, 2]));
    assert.deepEqual(
      new LongConverter().fromConnectData('t', null, 1n),
      Buffer.from([0, 0, 0, 0, 0, 0, 0, 1]),
    );
    assert.deepEqual(new FloatConverter().fromConnectData('t', null, 1.5), Buffer.from([0x3f, 0xc0, 0, 0]));
    assert.deepEqual(
      new DoubleConverter().fromConnectData('t', null, 1.5),
      Buffer.from([0x3f, 0xf8, 0, 0, 0, 0, 0, 0]),
    );
    const long = new LongConverter();
    assert.deepEqual(long.toConnectData('t', long.fromConnectData('t', null, 9223372036854775807n)), {
      schema: Schemas.OPTIONAL_INT64,
      value: 9223372036854775807n,
    });
    assert.deepEqual(long.toConnectData('t', long.fromConnectData('t', null, -7)), {
      schema: Schemas.OPTIONAL_INT64,
      value: -7,
    });
    assert.deepEqual(new IntegerConverter().toConnectData('t', null), {
      schema: Schemas.OPTIONAL_INT32,
      value: null,
    });
  });

  test("wrong types and sizes fail with Connect's messages", () => {
    assert.throws(
      () => new IntegerConverter().fromConnectData('t', null, 'x'),
      isConversionFailure(/Failed to serialize to integer/),
    );
    assert.throws(
      () => new IntegerConverter().fromConnectData('t', null, 2 ** 40),
      isConversionFailure(/Failed to serialize to integer/),
    );
    assert.throws(
      () => new ShortConverter().toConnectData('t', Buffer.from([1])),
      isConversionFailure(/Size of data received by ShortDeserializer is not 2/),
    );
  });
});

describe('Java number text', () => {
  test('Double.toString', () => {
    assert.equal(formatJavaDouble(1), '1.0');
    assert.equal(formatJavaDouble(-0), '-0.0');
    assert.equal(formatJavaDouble(0.001), '0.001');
    assert.equal(formatJavaDouble(0.0001), '1.0E-4');
    assert.equal(formatJavaDouble(1e7), '1.0E7');
    assert.equal(formatJavaDouble(9999999.5), '9999999.5');
    assert.equal(formatJavaDouble(-1.2345e-10), '-1.2345E-10');
    assert.equal(formatJavaDouble(Number.MAX_VALUE), '1.7976931348623157E308');
  });

  test('Float.toString', () => {
    assert.equal(formatJavaFloat(0.1), '0.1');
    assert.equal(formatJavaFloat(16777217), '1.6777216E7');
    assert.equal(formatJavaFloat(3.4028234663852886e38), '3.4028235E38');
    assert.equal(formatJavaFloat(1234.5678), '1234.5677');
  });

  test('BigDecimal.toString', () => {
    assert.equal(formatJavaBigDecimal(156n, 2), '1.56');
    assert.equal(formatJavaBigDecimal(-5n, 3), '-0.005');
    assert.equal(formatJavaBigDecimal(1n, 7), '1E-7');
    assert.equal(formatJavaBigDecimal(12n, -3), '1.2E+4');
  });
});

describe('plugin descriptors', () => {
  test('Connect class names with short aliases, each creating a working converter', () => {
    const names = converterPlugins.map((p) => p.className);
    for (const name of [
      'org.apache.kafka.connect.json.JsonConverter',
      'org.apache.kafka.connect.storage.StringConverter',
      'org.apache.kafka.connect.converters.ByteArrayConverter',
      'org.apache.kafka.connect.converters.IntegerConverter',
      'org.apache.kafka.connect.converters.LongConverter',
    ])
      assert.ok(names.includes(name), name);
    const json = converterPlugins.find((p) => p.aliases.includes('JsonConverter'));
    assert.ok(json);
    assert.equal(json.configDef['schemas.enable']?.default, true);
    const converter = json.create();
    converter.configure({ 'schemas.enable': 'false' }, false);
    assert.equal(converter.fromConnectData('t', null, { a: 1 })?.toString(), '{"a":1}');
    const simple = headerConverterPlugins.find(
      (p) => p.className === 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    );
    assert.ok(simple);
    assert.deepEqual(simple.aliases, ['SimpleHeaderConverter']);
    assert.ok(
      headerConverterPlugins.some((p) => p.className === 'org.apache.kafka.connect.json.JsonConverter'),
    );
  });
});
