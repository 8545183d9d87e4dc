import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { Schemas, SchemaBuilder, Struct, type SinkRecord } from '../../../../runtime/api/index.js';
import { BytesFormat } from '../../../../connectors/s3/format/bytes-format.js';
import { JsonLinesFormat } from '../../../../connectors/s3/format/json-lines-format.js';
import {
  RecordNotWritable,
  type RecordFormat,
  type StoredRecord,
} from '../../../../connectors/s3/format/record-format.js';

function record(offset: number, value: unknown, extra: Partial<SinkRecord> = {}): SinkRecord {
  return {
    topic: 't',
    kafkaPartition: 2,
    kafkaOffset: offset,
    originalTopic: 't',
    originalKafkaPartition: 2,
    originalKafkaOffset: offset,
    keySchema: null,
    key: null,
    valueSchema: null,
    value,
    timestamp: 1_700_000_000_000 + offset,
    timestampType: 'CreateTime',
    headers: [],
    ...extra,
  };
}

async function roundTrip(
  format: RecordFormat,
  records: readonly SinkRecord[],
  drainEvery = 0,
): Promise<{ bytes: Buffer; back: StoredRecord[] }> {
  const writer = format.newWriter();
  const chunks: Uint8Array[] = [];
  for (const [i, r] of records.entries()) {
    writer.write(r);
    if (drainEvery > 0 && (i + 1) % drainEvery === 0) chunks.push(await writer.drain());
  }
  chunks.push(await writer.finish());
  const bytes = Buffer.concat(chunks);
  const back: StoredRecord[] = [];
  for await (const r of format.read(bytes)) back.push(r);
  return { bytes, back };
}

test('JSON lines, value only: each line is the value as JsonConverter writes it without schemas', async () => {
  const schema = new SchemaBuilder('struct')
    .field('id', Schemas.INT64)
    .field('name', Schemas.OPTIONAL_STRING)
    .build();
  const format = new JsonLinesFormat({
    outputFields: ['value'],
    valueEncoding: 'none',
    decimalFormat: 'BASE64',
    gzip: false,
  });
  const { bytes, back } = await roundTrip(format, [
    record(0, new Struct(schema).put('id', 1).put('name', 'ü "q"\n'), { valueSchema: schema }),
    record(1, { nested: [1, null, true] }),
  ]);
  assert.equal(bytes.toString(), '{"id":1,"name":"ü \\"q\\"\\n"}\n{"nested":[1,null,true]}\n');
  assert.deepEqual(
    back.map((r) => r.value),
    [{ id: 1, name: 'ü "q"\n' }, { nested: [1, null, true] }],
  );
  assert.equal(format.extension, '.json');
});

test('JSON lines with output fields and base64: keys, values and headers come back as the same bytes; gzip members concatenate', async () => {
  const format = new JsonLinesFormat({
    outputFields: ['key', 'value', 'timestamp', 'headers', 'offset', 'partition', 'topic'],
    valueEncoding: 'base64',
    decimalFormat: 'BASE64',
    gzip: true,
  });
  const headers = [
    { key: 'h', schema: null, value: Buffer.from([0, 1]) },
    { key: 'h', schema: null, value: null },
    { key: 'e', schema: null, value: Buffer.alloc(0) },
  ];
  const records = [0, 1, 2, 3].map((i) =>
    record(i, i === 3 ? null : Buffer.from([255, i]), {
      key: i === 1 ? null : Buffer.from(`k${i}`),
      headers,
    }),
  );
  const { bytes, back } = await roundTrip(format, records, 2);
  assert.equal(gunzipSync(bytes).toString().split('\n').length, 5, 'two gzip members read as one file');
  assert.deepEqual(
    back.map((r) => [
      r.key,
      r.value,
      r.timestamp,
      r.headers.map((h) => [h.key, h.value]),
      r.kafkaOffset,
      r.kafkaPartition,
      r.topic,
    ]),
    records.map((r) => [
      r.key,
      r.value,
      r.timestamp,
      headers.map((h) => [h.key, h.value]),
      r.kafkaOffset,
      2,
      't',
    ]),
  );
  assert.equal(format.extension, '.json.gz');
});

test('base64 encoding refuses a value that is not bytes or text, naming the field', () => {
  const format = new JsonLinesFormat({
    outputFields: ['key', 'value'],
    valueEncoding: 'base64',
    decimalFormat: 'BASE64',
    gzip: false,
  });
  const writer = format.newWriter();
  assert.throws(
    () => writer.write(record(0, { not: 'bytes' })),
    (error: unknown) =>
      error instanceof RecordNotWritable &&
      error.field === 'value' &&
      /ByteArrayConverter/.test(error.message),
  );
  assert.equal(writer.bufferedBytes, 0, 'nothing was written');
});

test('ByteArrayFormat: raw values and separators; a non-bytes value is refused', async () => {
  const format = new BytesFormat(Buffer.from('\n'));
  const { bytes, back } = await roundTrip(format, [
    record(0, Buffer.from('a')),
    record(1, Buffer.from('{"b":1}')),
  ]);
  assert.equal(bytes.toString(), 'a\n{"b":1}\n');
  assert.deepEqual(
    back.map((r) => (r.value as Buffer).toString()),
    ['a', '{"b":1}'],
  );
  assert.throws(() => format.newWriter().write(record(2, 42)), /ByteArrayConverter/);
});
