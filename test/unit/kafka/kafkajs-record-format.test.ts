import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import '../../../runtime/kafka/kafkajs-library.js';
import {
  orderedHeadersOf,
  toKafkajsHeaders,
  type KafkajsHeaders,
} from '../../../runtime/kafka/kafkajs-record-format.js';
import type { KafkaHeader } from '../../../runtime/kafka/types.js';

// kafkajs's own record encoder and decoder, as its produce and fetch paths load them.
const require = createRequire(import.meta.url);
const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (record: object) => {
  buffer: Buffer;
};
const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder.js') as (
  decoder: object,
  context: object,
) => { key: Buffer | null; value: Buffer | null; offset: string; timestamp: string; headers: KafkajsHeaders };
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => {
  readVarInt(): number;
};

const headers: KafkaHeader[] = [
  { key: 'trace', value: Buffer.from('t1') },
  { key: 'nothing', value: null },
  { key: 'empty', value: Buffer.alloc(0) },
  { key: 'trace', value: null },
  { key: '7', value: Buffer.from('seven') },
];

test('a record keeps null, empty and interleaved repeated headers, in order, through kafkajs encode and decode', () => {
  const encoded = encodeRecord({
    offsetDelta: 2,
    timestampDelta: 5,
    key: Buffer.from('k'),
    value: null,
    headers: toKafkajsHeaders(headers),
  }).buffer;
  const decoder = new Decoder(encoded);
  decoder.readVarInt(); // the record's length, read by the batch decoder before the record
  const record = decodeRecord(decoder, {
    firstOffset: '10',
    firstTimestamp: '1000',
    magicByte: 2,
    timestampType: 0,
  });
  assert.equal(record.offset, '12');
  assert.equal(record.timestamp, '1005');
  assert.deepEqual(record.key, Buffer.from('k'));
  assert.equal(record.value, null);
  assert.deepEqual(orderedHeadersOf(record.headers), headers);
});

test('headers from a plain kafkajs object (no ordered list) keep their values; none is an empty list', () => {
  assert.deepEqual(orderedHeadersOf({ a: ['1', Buffer.from('2')], b: undefined }), [
    { key: 'a', value: Buffer.from('1') },
    { key: 'a', value: Buffer.from('2') },
    { key: 'b', value: null },
  ]);
  assert.deepEqual(orderedHeadersOf({}), []);
});
