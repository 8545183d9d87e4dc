import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { CompressionTypes } from '../../../runtime/kafka/kafkajs-library.js';
import { crc32c, crc32cInJavaScript } from '../../../runtime/kafka/crc32c.js';
import { groupMessagesPerPartition } from '../../../runtime/kafka/kafkajs-message-grouping.js';
import {
  encodeProduceRequest,
  type ProduceRequestInput,
} from '../../../runtime/kafka/kafkajs-produce-request.js';
import { orderedHeadersOf, toKafkajsHeaders } from '../../../runtime/kafka/kafkajs-record-format.js';
import { frameRequest } from '../../../runtime/kafka/kafkajs-request-framing.js';
import type { KafkaHeader } from '../../../runtime/kafka/types.js';

// kafkajs's own decoders and byte-at-a-time CRC32C: what the produced bytes are checked against.
const require = createRequire(import.meta.url);
interface Decoder {
  readInt16(): number;
  readInt32(): number;
  readString(): string | null;
  offset: number;
  buffer: Buffer;
}
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => Decoder;
interface DecodedBatch {
  firstTimestamp: string;
  maxTimestamp: string;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  inTransaction: boolean;
  lastOffsetDelta: number;
  records: {
    key: Buffer | null;
    value: Buffer | null;
    offset: string;
    timestamp: string;
    headers: Parameters<typeof orderedHeadersOf>[0];
  }[];
}
const decodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (
  decoder: Decoder,
) => Promise<DecodedBatch>;
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;

interface DecodedPartition {
  partition: number;
  crcMatches: boolean;
  batch: DecodedBatch;
}

/** Reads a produce request body back: transactional id, acks, timeout and every partition's batch. */
async function decodeRequest(body: Buffer) {
  const d = new Decoder(body);
  const transactionalId = d.readString();
  const acks = d.readInt16();
  const timeout = d.readInt32();
  const topics: { topic: string | null; partitions: DecodedPartition[] }[] = [];
  for (let t = d.readInt32(); t > 0; t--) {
    const topic = d.readString();
    const partitions: DecodedPartition[] = [];
    for (let p = d.readInt32(); p > 0; p--) {
      const partition = d.readInt32();
      const size = d.readInt32();
      const batchBytes = body.subarray(d.offset, d.offset + size);
      d.offset += size;
      const crcMatches = batchBytes.readUInt32BE(17) === kafkajsCrc32c(batchBytes.subarray(21));
      partitions.push({ partition, crcMatches, batch: await decodeBatch(new Decoder(batchBytes)) });
    }
    topics.push({ topic, partitions });
  }
  assert.equal(d.offset, body.length, 'nothing after the last batch');
  return { transactionalId, acks, timeout, topics };
}

const headers: KafkaHeader[] = [
  { key: 'trace', value: Buffer.from('t1') },
  { key: 'nothing', value: null },
  { key: 'empty', value: Buffer.alloc(0) },
  { key: 'trace', value: null },
  { key: '7', value: Buffer.from('seven') },
];

function request(compression: number): ProduceRequestInput {
  return {
    acks: -1,
    timeout: 30000,
    compression,
    topicData: [
      {
        topic: 'orders',
        partitions: [
          {
            partition: 2,
            messages: [
              { key: Buffer.from('k'), value: null, timestamp: '1005', headers: toKafkajsHeaders(headers) },
              { key: null, value: 'text ü', timestamp: '1000' },
              { key: 'x'.repeat(300), value: Buffer.alloc(70_000, 7), timestamp: '1300' },
            ],
          },
          { partition: 0, firstSequence: 42, messages: [{ key: null, value: Buffer.from('v') }] },
        ],
      },
      { topic: 'ünïcode', partitions: [{ partition: 1, messages: [{ value: Buffer.from('only') }] }] },
    ],
  };
}

for (const [name, compression] of [
  ['uncompressed', CompressionTypes.None],
  ['gzip', CompressionTypes.GZIP],
  ['zstd', CompressionTypes.ZSTD],
] as const) {
  test(`a produce request (${name}) decodes with kafkajs: records, headers in order, timestamps, CRC`, async () => {
    const before = Date.now();
    const decoded = await decodeRequest(await encodeProduceRequest(request(compression), 7));
    assert.deepEqual([decoded.transactionalId, decoded.acks, decoded.timeout], [null, -1, 30000]);
    assert.deepEqual(
      decoded.topics.map((t) => [t.topic, t.partitions.map((p) => p.partition)]),
      [
        ['orders', [2, 0]],
        ['ünïcode', [1]],
      ],
    );
    const all = decoded.topics.flatMap((t) => t.partitions);
    assert.ok(all.every((p) => p.crcMatches));
    const [first, second] = all;
    const batch = first!.batch;
    assert.deepEqual([batch.firstTimestamp, batch.maxTimestamp, batch.lastOffsetDelta], ['1000', '1300', 2]);
    assert.deepEqual(
      batch.records.map((r) => [r.offset, r.timestamp]),
      [
        ['0', '1005'],
        ['1', '1000'],
        ['2', '1300'],
      ],
    );
    assert.deepEqual(batch.records[0]!.key, Buffer.from('k'));
    assert.equal(batch.records[0]!.value, null);
    assert.deepEqual(orderedHeadersOf(batch.records[0]!.headers), headers);
    assert.equal(batch.records[1]!.key, null);
    assert.equal(batch.records[1]!.value!.toString(), 'text ü');
    assert.equal(batch.records[2]!.key!.toString(), 'x'.repeat(300));
    assert.deepEqual(batch.records[2]!.value, Buffer.alloc(70_000, 7));
    assert.deepEqual(orderedHeadersOf(batch.records[1]!.headers), []);
    // No timestamp: "now", as kafkajs sends it.
    const now = Number(second!.batch.records[0]!.timestamp);
    assert.ok(now >= before && now <= Date.now());
    assert.deepEqual(
      [second!.batch.firstSequence, second!.batch.producerId, second!.batch.inTransaction],
      [42, '-1', false],
    );
  });
}

test('a transactional produce request carries the id, producer id and epoch, and the transactional flag', async () => {
  const decoded = await decodeRequest(
    await encodeProduceRequest({
      ...request(CompressionTypes.None),
      transactionalId: 'tx-1',
      producerId: { value: 9_007_199_254_740_993n },
      producerEpoch: 3,
    }),
  );
  assert.equal(decoded.transactionalId, 'tx-1');
  const batch = decoded.topics[0]!.partitions[0]!.batch;
  assert.deepEqual(
    [batch.producerId, batch.producerEpoch, batch.inTransaction],
    ['9007199254740993', 3, true],
  );
});

test('CRC32C, native and sliced by 8, equals kafkajs byte-at-a-time CRC32C on every length and offset', () => {
  const bytes = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 131 + 17) & 0xff));
  for (const crc of [crc32c, crc32cInJavaScript]) {
    for (let start = 0; start < 9; start++)
      for (let end = start; end <= bytes.length; end += 7)
        assert.equal(crc(bytes, start, end), kafkajsCrc32c(bytes.subarray(start, end)));
    assert.equal(crc(Buffer.from('123456789')), 0xe3069283); // the standard check value
  }
});

test('grouping per partition keeps every partition’s messages in order', () => {
  const messages = [0, 1, 2, 3, 4, 5].map((i) => ({ i, partition: i % 2 === 0 ? 3 : 1 }));
  const grouped = groupMessagesPerPartition({
    topic: 't',
    partitionMetadata: [{}],
    messages,
    partitioner: ({ message }) => message.partition,
  });
  assert.deepEqual(grouped, {
    1: [messages[1], messages[3], messages[5]],
    3: [messages[0], messages[2], messages[4]],
  });
  assert.deepEqual(
    groupMessagesPerPartition({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 }),
    {},
  );
});

test('a request frame is size, api key, version, correlation id, client id, then the body', async () => {
  const { buffer } = await frameRequest({
    correlationId: 7,
    clientId: 'cli',
    request: { apiKey: 0, apiVersion: 7, encode: async () => ({ buffer: Buffer.from([9, 9]) }) },
  });
  const expected = Buffer.from([0, 0, 0, 15, 0, 0, 0, 7, 0, 0, 0, 7, 0, 3, 99, 108, 105, 9, 9]);
  assert.deepEqual(buffer, expected);
  // A body with room in front is framed where it lies; too little room, and it is copied.
  for (const headroom of [20, 16, 3]) {
    const memory = Buffer.alloc(headroom + 2, 0xee);
    memory.set([9, 9], headroom);
    const framed = await frameRequest({
      correlationId: 7,
      clientId: 'cli',
      request: {
        apiKey: 0,
        apiVersion: 7,
        encode: async () => ({ buffer: memory.subarray(headroom), headroom }),
      },
    });
    assert.deepEqual(framed.buffer, expected);
    assert.equal(framed.buffer.buffer === memory.buffer, headroom >= 17);
  }
});
