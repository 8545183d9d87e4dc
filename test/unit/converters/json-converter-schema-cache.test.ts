import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaBuilder, Schemas, type Schema } from '../../../runtime/api/schema.js';
import { Struct } from '../../../runtime/api/struct.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { JsonConverter } from '../../../runtime/converters/index.js';

// A converter remembers the schema of the previous envelope and compares the next record's leading bytes
// with it. Every record read by a converter that has seen others must read exactly as it does on a
// fresh converter (which parses the whole envelope).

const TOPIC = 'topic';

function converter(config: Record<string, string> = {}): JsonConverter {
  const c = new JsonConverter();
  c.configure(config, false);
  return c;
}

interface Read {
  schema: Schema | null;
  value: unknown;
}

function readBytes(c: JsonConverter, bytes: Buffer): Read {
  return c.toConnectData(TOPIC, bytes);
}

function read(c: JsonConverter, text: string): Read {
  return readBytes(c, Buffer.from(text, 'utf8'));
}

/** What the record reads as, or the error message it fails with. */
function outcome(c: JsonConverter, bytes: Buffer): Read | string {
  try {
    return readBytes(c, bytes);
  } catch (error) {
    assert.ok(error instanceof SluiceError && error.code === 'CONVERSION_FAILED', String(error));
    return error.message;
  }
}

/** Reads `records` in order on one converter and checks each against a fresh converter. */
function assertReadsLikeFresh(
  records: readonly (string | Buffer)[],
  config: Record<string, string> = {},
): Read[] {
  const warm = converter(config);
  return records.map((record, i) => {
    const bytes = typeof record === 'string' ? Buffer.from(record, 'utf8') : record;
    const expected = outcome(converter(config), bytes);
    assert.deepEqual(outcome(warm, bytes), expected, `record ${i}: ${bytes.toString('utf8')}`);
    return expected as Read;
  });
}

const INT_A =
  '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"a"}],"optional":false},"payload":{"a":12}}';
const STRING_A =
  '{"schema":{"type":"struct","fields":[{"type":"string","optional":false,"field":"a"}],"optional":false},"payload":{"a":"12"}}';
// Same length as INT_A: only the bytes tell them apart.
const INT64_A =
  '{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"a"}],"optional":false},"payload":{"a":12}}';
const OPTIONAL_INT_A =
  '{"schema":{"type":"struct","fields":[{"type":"int32","optional":true,"field":"a"}],"optional":false},"payload":{"a":null}}';

describe('JsonConverter schema cache (schemas.enable=true)', () => {
  test('two schemas with the same field names, alternating: each record gets its own schema', () => {
    const reads = assertReadsLikeFresh([
      INT_A,
      INT_A,
      STRING_A,
      INT_A,
      STRING_A,
      STRING_A,
      OPTIONAL_INT_A,
      INT_A,
      INT64_A,
      INT_A,
      INT64_A,
    ]);
    const intSchema = reads[0]!.schema!;
    const stringSchema = reads[2]!.schema!;
    assert.equal(intSchema.fields?.[0]?.schema.type, 'int32');
    assert.equal(stringSchema.fields?.[0]?.schema.type, 'string');
    assert.equal((reads[3]!.value as Struct).get('a'), 12);
    assert.equal((reads[4]!.value as Struct).get('a'), '12');
    assert.equal((reads[6]!.value as Struct).get('a'), null);
    assert.equal(reads[6]!.schema!.fields?.[0]?.schema.optional, true);
    assert.equal(reads[10]!.schema!.fields?.[0]?.schema.type, 'int64');
  });

  test('a record with the same schema text reuses the parsed schema; a changed schema is parsed anew', () => {
    const c = converter();
    const first = read(c, INT_A);
    const second = read(
      c,
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"a"}],"optional":false},"payload":{"a":13}}',
    );
    assert.equal(second.schema, first.schema);
    assert.equal((second.value as Struct).get('a'), 13);
    const changed = read(c, STRING_A);
    assert.notEqual(changed.schema, first.schema);
    assert.equal(read(c, INT_A).schema, first.schema, 'still cached after the change');
  });

  test('a schema that extends the previous one in the same place is not mistaken for it', () => {
    // Same leading text, then a different schema: the previous schema text is a prefix of neither.
    assertReadsLikeFresh([
      '{"schema":{"type":"int64"},"payload":1}',
      '{"schema":{"type":"int64","optional":true},"payload":null}',
      '{"schema":{"type":"int64"},"payload":2}',
      '{"schema":{"type":"int64"} ,"payload":3}',
      '{"schema":{"type":"int64"},"payload" :4}',
      '{"schema":{"type":"int64"},"payload":5} \n',
      '{"schema":{"type":"int32"},"payload":6}',
    ]);
  });

  test('non-canonical and broken envelopes after a cached schema fail or read exactly as on a fresh converter', () => {
    const s =
      '{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"a"}],"optional":false}';
    const reads = assertReadsLikeFresh([
      `${s},"payload":{"a":1}}`,
      `${s},"payload":{"a":1}`, // unterminated envelope
      `${s},"payload":{"a":1},"extra":2}`, // additional field
      `${s},"payload":{"a":1},"payload":{"a":2}}`, // duplicate payload: the last one wins, as in Jackson
      `${s},"payload":}`, // empty payload
      `${s},"payload":{"a":"x"}}`, // payload does not fit the schema
      `${s},"payload":{"a":00012}}`, // leading zeros (Jackson's ALLOW_LEADING_ZEROS)
      `${s},"payload":{"a":9223372036854775807}}`, // exact int64
      `${s},"payload":{"a":1}}`,
    ]);
    assert.equal(typeof reads[1], 'string');
    assert.equal(typeof reads[2], 'string');
    assert.equal(((reads[3] as Read).value as Struct).get('a'), 2);
    assert.equal(typeof reads[4], 'string');
    assert.equal(typeof reads[5], 'string');
    assert.equal(((reads[6] as Read).value as Struct).get('a'), 12);
    assert.equal(((reads[7] as Read).value as Struct).get('a'), 9223372036854775807n);
  });

  test('null schemas and schemaless payloads', () => {
    const reads = assertReadsLikeFresh([
      '{"schema":null,"payload":{"n":1}}',
      '{"schema":null,"payload":{"n":12345678901234567890}}',
      '{"schema":null,"payload":[1,"2"]}',
      '{"schema":{"type":"string"},"payload":"x"}',
      '{"schema":null,"payload":null}',
    ]);
    assert.deepEqual(reads[1], { schema: null, value: { n: 12345678901234567890n } });
  });

  test('non-ASCII schema text and payloads', () => {
    const schema = '{"type":"string","optional":false,"doc":"prénom ✓ 🐟"}';
    const reads = assertReadsLikeFresh([
      `{"schema":${schema},"payload":"é"}`,
      `{"schema":${schema},"payload":"🐟 ✓"}`,
      `{"schema":${schema},"payload":"\\u00e9\\""}`,
    ]);
    assert.equal(reads[1]!.value, '🐟 ✓');
    assert.equal(reads[2]!.value, 'é"');
    assert.equal(reads[0]!.schema!.doc, 'prénom ✓ 🐟');
    // Invalid UTF-8 in the schema: decoded with replacement characters, the same on every record.
    const invalid = Buffer.concat([
      Buffer.from('{"schema":{"type":"string","doc":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"},"payload":"v"}'),
    ]);
    assertReadsLikeFresh([
      invalid,
      invalid,
      `{"schema":{"type":"string","doc":"\ufffd("},"payload":"w"}`,
      invalid,
    ]);
  });

  test('schemas.cache.size=0 and 1: evicted or uncached schemas are read again, with equal results', () => {
    const records = [INT_A, STRING_A, INT_A, INT_A, OPTIONAL_INT_A, STRING_A];
    assertReadsLikeFresh(records, { 'schemas.cache.size': '0' });
    assertReadsLikeFresh(records, { 'schemas.cache.size': '1' });
    const uncached = converter({ 'schemas.cache.size': '0' });
    assert.notEqual(read(uncached, INT_A).schema, read(uncached, INT_A).schema);
  });

  test('configure() forgets the previous schema: the new settings apply to the next record', () => {
    const withDefault =
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":true,"default":7,"field":"a"}],"optional":false},"payload":{"a":null}}';
    const c = converter();
    assert.equal((read(c, withDefault).value as Struct).getWithoutDefault('a'), 7);
    c.configure({ 'replace.null.with.default': 'false' }, false);
    assert.equal((read(c, withDefault).value as Struct).getWithoutDefault('a'), null);
    c.configure({ 'schemas.enable': 'false' }, false);
    assert.deepEqual(read(c, withDefault).value, JSON.parse(withDefault));
  });

  test('the datagen record shape round-trips through the cached path', () => {
    const schema = SchemaBuilder.struct()
      .name('sluice.datagen.Value')
      .version(1)
      .field('id', Schemas.STRING)
      .field('task', Schemas.INT32)
      .field('seq', Schemas.INT64)
      .field('payload', Schemas.STRING)
      .build();
    const c = converter();
    for (let seq = 0; seq < 5; seq++) {
      const value = new Struct(schema)
        .put('id', `0-${seq}`)
        .put('task', 0)
        .put('seq', seq === 4 ? 2n ** 62n : seq)
        .put('payload', `digits 12345678901234567890 and "quotes" \\ ${seq}`);
      const back = c.toConnectData(TOPIC, c.fromConnectData(TOPIC, schema, value));
      assert.ok(back.value instanceof Struct);
      for (const field of schema.fields ?? [])
        assert.deepEqual(back.value.get(field.name), value.get(field.name), `${seq} ${field.name}`);
    }
  });
});

describe('JsonConverter schemaless reads (schemas.enable=false)', () => {
  const plain = { 'schemas.enable': 'false' };

  test('blank text is null, anything else that is not JSON fails', () => {
    const c = converter(plain);
    for (const blank of ['', ' ', ' \n\t ', '\ufeff'])
      assert.deepEqual(read(c, blank), { schema: null, value: null }, JSON.stringify(blank));
    assert.throws(
      () => read(c, '{"a":'),
      (error: unknown) => error instanceof SluiceError && error.code === 'CONVERSION_FAILED',
    );
  });

  test('integers beyond 2^53 anywhere in the document are exact bigints; digits in strings stay text', () => {
    const c = converter(plain);
    assert.deepEqual(read(c, '{"a":{"b":[1,{"c":-9007199254740993}]},"s":"12345678901234567890"}').value, {
      a: { b: [1, { c: -9007199254740993n }] },
      s: '12345678901234567890',
    });
    assert.deepEqual(read(c, '[9007199254740991, 9007199254740992]').value, [
      9007199254740991,
      9007199254740992n,
    ]);
    assert.equal(read(c, '18446744073709551616').value, 18446744073709551616n);
    assert.equal(read(c, '1.2345678901234567890').value, Number('1.2345678901234567890'));
    assert.equal(read(c, '1e300').value, 1e300);
  });
});
