/**
 * kafkajs's produce request (v3, which v4–v7 reuse), written straight into one buffer. kafkajs builds a
 * growing Encoder per record, copies the records into a batch Encoder, the batch into a partition Encoder
 * and that into the request (each copy zero-filling a new power-of-two buffer), computes the batch CRC a
 * byte at a time, and sorts the timestamps as strings: on a 1 KB-record mirror that was about a fifth of
 * the worker's CPU. Here the sizes are computed first, the request is allocated once, every record is
 * written in place and the CRC is taken over the batch where it lies. The bytes are kafkajs's, except that
 * when some records carry a timestamp and others not, the batch's first and max timestamps span all of
 * them (kafkajs leaves the records that got "now" out).
 *
 * Headers are written in the order carried by kafkajs-record-format.ts, so null header values and the
 * order of repeated keys survive.
 */
import { crc32c } from './crc32c.js';
import { kafkajsModule, replaceKafkajsModule } from './kafkajs-module-replacement.js';
import { orderedHeadersOf, type KafkajsHeaders } from './kafkajs-record-format.js';
import type { KafkaHeader } from './types.js';

type Bytes = Buffer | string | null | undefined;

/** A message as kafkajs hands it to the produce request. */
export interface ProduceMessage {
  readonly key?: Bytes;
  readonly value?: Bytes;
  readonly timestamp?: string | number;
  readonly headers?: KafkajsHeaders;
}
export interface ProducePartition {
  readonly partition: number;
  readonly firstSequence?: number;
  readonly messages: readonly ProduceMessage[];
}
export interface ProduceTopic {
  readonly topic: string;
  readonly partitions: readonly ProducePartition[];
}
/** kafkajs keeps the producer id as a number (-1: none), a decoded string or its BigInt-backed Long. */
type ProducerId = number | string | bigint | { readonly value: bigint };
export interface ProduceRequestInput {
  readonly acks: number;
  readonly timeout: number;
  readonly transactionalId?: string | null;
  readonly producerId?: ProducerId;
  readonly producerEpoch?: number;
  readonly compression?: number;
  readonly topicData: readonly ProduceTopic[];
}
interface Codec {
  compress(encoder: { readonly buffer: Buffer }): Promise<Buffer>;
}

const PRODUCE_API_KEY = 0;
const MAGIC_BYTE = 2;
const TRANSACTIONAL_FLAG = 0x10;
const NO_COMPRESSION = 0;
const COMPRESSION_CODEC_MASK = 0x07;
/** firstOffset(8) length(4) leaderEpoch(4) magic(1) crc(4) attributes(2) lastOffsetDelta(4) firstTimestamp(8)
 *  maxTimestamp(8) producerId(8) producerEpoch(2) firstSequence(4) recordCount(4) */
const BATCH_HEADER_BYTES = 61;
/** Where the CRC'd part of a batch starts (the attributes), relative to the batch. */
const CRC_FROM = 21;

const { lookupCodec } = kafkajsModule<{ lookupCodec(type: number): Codec }>(
  'kafkajs/src/protocol/message/compression/index.js',
);

function sizeOfUnsignedVarInt(value: number): number {
  let bytes = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 0x80);
    bytes++;
  }
  return bytes;
}
/** Zigzag, as Kafka's varint and varlong: exact for any safe integer. */
function zigzag(value: number): number {
  return value >= 0 ? value * 2 : -value * 2 - 1;
}
function sizeOfVarBytes(length: number): number {
  return length < 0 ? 1 : sizeOfUnsignedVarInt(length * 2) + length;
}
function byteLength(value: Bytes): number {
  if (value === null || value === undefined) return -1;
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}

/** A buffer with a write position: the little that kafkajs's Encoder did, without the copies. */
class Writer {
  offset = 0;
  constructor(readonly buf: Buffer) {}

  unsignedVarInt(value: number): void {
    const buf = this.buf;
    while (value >= 0x80) {
      buf[this.offset++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 0x80);
    }
    buf[this.offset++] = value;
  }
  varInt(value: number): void {
    this.unsignedVarInt(zigzag(value));
  }
  varBytes(value: Bytes, length: number): void {
    if (length < 0) {
      this.buf[this.offset++] = 1; // zigzag(-1)
      return;
    }
    this.unsignedVarInt(length * 2);
    if (typeof value === 'string') this.buf.write(value, this.offset, length, 'utf8');
    else this.buf.set(value!, this.offset);
    this.offset += length;
  }
  int8(value: number): void {
    this.buf.writeInt8(value, this.offset);
    this.offset += 1;
  }
  int16(value: number): void {
    this.buf.writeInt16BE(value, this.offset);
    this.offset += 2;
  }
  int32(value: number): void {
    this.buf.writeInt32BE(value, this.offset);
    this.offset += 4;
  }
  int64(value: number | string | bigint): void {
    this.buf.writeBigInt64BE(BigInt(value), this.offset);
    this.offset += 8;
  }
  string(value: string | null): void {
    if (value === null) return this.int16(-1);
    const length = Buffer.byteLength(value);
    this.int16(length);
    this.buf.write(value, this.offset, length, 'utf8');
    this.offset += length;
  }
}

/** What pass one learns about a partition's records, so pass two only writes. */
interface PlannedBatch {
  readonly partition: ProducePartition;
  readonly firstTimestamp: number;
  readonly maxTimestamp: number;
  readonly timestamps: Float64Array;
  readonly headers: (readonly KafkaHeader[])[];
  /** Per record: the size of its body (what its length prefix says). */
  readonly bodySizes: Int32Array;
  readonly recordsBytes: number;
  /** The records, compressed, when the request is compressed. */
  compressed?: Buffer;
}

function planBatch(partition: ProducePartition, now: number): PlannedBatch {
  const { messages } = partition;
  const n = messages.length;
  const timestamps = new Float64Array(n);
  // A record without a timestamp gets "now", as in kafkajs; the batch's first and max timestamps are the
  // smallest and largest of its records'.
  let first = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const given = messages[i]!.timestamp;
    const ts = given === undefined || given === null ? now : Number(given);
    first = Math.min(first, ts);
    max = Math.max(max, ts);
    timestamps[i] = ts;
  }
  const headers: (readonly KafkaHeader[])[] = new Array(n);
  const bodySizes = new Int32Array(n);
  let recordsBytes = 0;
  for (let i = 0; i < n; i++) {
    const m = messages[i]!;
    const ordered = orderedHeadersOf(m.headers);
    headers[i] = ordered;
    let size =
      1 + // attributes
      sizeOfUnsignedVarInt(zigzag(timestamps[i]! - first)) +
      sizeOfUnsignedVarInt(zigzag(i)) +
      sizeOfVarBytes(byteLength(m.key)) +
      sizeOfVarBytes(byteLength(m.value)) +
      sizeOfUnsignedVarInt(zigzag(ordered.length));
    for (const h of ordered)
      size += sizeOfVarBytes(Buffer.byteLength(h.key)) + sizeOfVarBytes(byteLength(h.value));
    bodySizes[i] = size;
    recordsBytes += sizeOfUnsignedVarInt(zigzag(size)) + size;
  }
  return {
    partition,
    firstTimestamp: first,
    maxTimestamp: max,
    timestamps,
    headers,
    bodySizes,
    recordsBytes,
  };
}

function writeRecords(w: Writer, plan: PlannedBatch): void {
  const { messages } = plan.partition;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    w.varInt(plan.bodySizes[i]!);
    w.buf[w.offset++] = 0; // attributes
    w.varInt(plan.timestamps[i]! - plan.firstTimestamp);
    w.varInt(i);
    w.varBytes(m.key, byteLength(m.key));
    w.varBytes(m.value, byteLength(m.value));
    const headers = plan.headers[i]!;
    w.varInt(headers.length);
    for (const h of headers) {
      w.varBytes(h.key, Buffer.byteLength(h.key));
      w.varBytes(h.value, byteLength(h.value));
    }
  }
}

async function compressRecords(plan: PlannedBatch, compression: number): Promise<void> {
  const w = new Writer(Buffer.allocUnsafe(plan.recordsBytes));
  writeRecords(w, plan);
  plan.compressed = await lookupCodec(compression).compress({ buffer: w.buf });
}

/**
 * Bytes left free in front of a produce request's body for the request header (size, api key and version,
 * correlation id, client id), so kafkajs-request-framing.ts can frame it without copying it: enough for a
 * client id of 100 bytes; a longer one is framed by a copy.
 */
export const FRAME_HEADROOM = 128;

/** The produce request's body (after the request header), as one buffer with `headroom` free bytes before it. */
export async function encodeProduceRequest(
  {
    acks,
    timeout,
    transactionalId = null,
    producerId = -1,
    producerEpoch = 0,
    compression = NO_COMPRESSION,
    topicData,
  }: ProduceRequestInput,
  headroom = 0,
): Promise<Buffer> {
  const now = Date.now();
  const plans = topicData.map((t) => t.partitions.map((p) => planBatch(p, now)));
  if (compression !== NO_COMPRESSION)
    for (const topicPlans of plans) for (const plan of topicPlans) await compressRecords(plan, compression);

  let size = 2 + (transactionalId === null ? 0 : Buffer.byteLength(transactionalId)) + 2 + 4 + 4;
  for (let t = 0; t < topicData.length; t++) {
    size += 2 + Buffer.byteLength(topicData[t]!.topic) + 4;
    for (const plan of plans[t]!)
      size += 4 + 4 + BATCH_HEADER_BYTES + (plan.compressed?.length ?? plan.recordsBytes);
  }

  const w = new Writer(Buffer.allocUnsafe(headroom + size));
  w.offset = headroom;
  w.string(transactionalId);
  w.int16(acks);
  w.int32(timeout);
  w.int32(topicData.length);
  const attributes =
    (compression & COMPRESSION_CODEC_MASK) | (transactionalId !== null ? TRANSACTIONAL_FLAG : 0);
  for (let t = 0; t < topicData.length; t++) {
    const topic = topicData[t]!;
    w.string(topic.topic);
    w.int32(topic.partitions.length);
    for (const plan of plans[t]!) {
      const recordsBytes = plan.compressed?.length ?? plan.recordsBytes;
      const batchBytes = BATCH_HEADER_BYTES + recordsBytes;
      w.int32(plan.partition.partition);
      w.int32(batchBytes);
      const batchStart = w.offset;
      w.int64(0); // first offset: the broker assigns it
      w.int32(batchBytes - 12); // length: what follows this field
      w.int32(0); // partition leader epoch, as kafkajs writes it
      w.int8(MAGIC_BYTE);
      const crcAt = w.offset;
      w.int32(0); // CRC, filled in below
      w.int16(attributes);
      w.int32(plan.partition.messages.length - 1);
      w.int64(plan.firstTimestamp);
      w.int64(plan.maxTimestamp);
      w.int64(typeof producerId === 'object' ? producerId.value : producerId);
      w.int16(producerEpoch);
      w.int32(plan.partition.firstSequence ?? 0);
      w.int32(plan.partition.messages.length);
      if (plan.compressed === undefined) writeRecords(w, plan);
      else {
        w.buf.set(plan.compressed, w.offset);
        w.offset += plan.compressed.length;
      }
      w.buf.writeUInt32BE(crc32c(w.buf, batchStart + CRC_FROM, w.offset), crcAt);
    }
  }
  if (w.offset !== headroom + size)
    throw new Error(`produce request: wrote ${w.offset - headroom} bytes of ${size} planned`);
  return w.buf.subarray(headroom);
}

/** The produce request as kafkajs's versions 3–7 build it; `encode` resolves to the framed body. */
function produceRequestV3(input: ProduceRequestInput) {
  return {
    apiKey: PRODUCE_API_KEY,
    apiVersion: 3,
    apiName: 'Produce',
    expectResponse: () => input.acks !== 0,
    encode: async () => ({
      buffer: await encodeProduceRequest(input, FRAME_HEADROOM),
      headroom: FRAME_HEADROOM,
    }),
  };
}

replaceKafkajsModule('kafkajs/src/protocol/requests/produce/v3/request.js', produceRequestV3);
