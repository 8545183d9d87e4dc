/**
 * kafkajs keeps a record's headers in a plain object keyed by header name. That loses what Kafka
 * itself keeps: the order of headers with different keys ([a, b, a] comes back as [a, a, b]; integer-like
 * keys sort first), and on the producing side a null header value cannot be sent at all (its size
 * computation throws). Kafka Connect and MirrorMaker 2 pass headers through exactly, so this module
 * replaces kafkajs's record (v2 format) decoder with one that also carries the headers as an ordered list
 * of { key, value } (value null for a null header), under ORDERED_HEADERS on the headers object, and
 * kafkajs-produce-request.ts writes a produced message's headers from that list. The object itself stays
 * as kafkajs builds it, for anything inside kafkajs that reads it.
 */
import { kafkajsModule, replaceKafkajsModule } from './kafkajs-module-replacement.js';
import type { KafkaHeader } from './types.js';

/** The wire-ordered headers of a record, on the kafkajs headers object (not enumerable). */
export const ORDERED_HEADERS = Symbol.for('sluice.kafka.orderedHeaders');

/** Most records have no headers: that case allocates nothing. */
const NO_HEADERS: readonly KafkaHeader[] = Object.freeze([]);

type HeaderValue = Buffer | string | null | undefined;
/** The headers object kafkajs hands out and takes, optionally carrying the ordered list. */
export type KafkajsHeaders = Record<string, HeaderValue | HeaderValue[]> & {
  [ORDERED_HEADERS]?: readonly KafkaHeader[];
};

interface KafkajsLong {
  add(other: KafkajsLong | number | string): KafkajsLong;
  toString(): string;
}
interface KafkajsDecoder {
  readInt8(): number;
  readVarInt(): number;
  readVarLong(): KafkajsLong;
  readVarIntBytes(): Buffer | null;
  readVarIntString(): string;
}
interface BatchContext {
  readonly firstOffset: string;
  readonly firstTimestamp: string;
  readonly magicByte: number;
  readonly isControlBatch?: boolean;
  readonly timestampType: number;
  readonly maxTimestamp: string;
}

const Long = kafkajsModule<{ fromValue(v: string | number): KafkajsLong }>('kafkajs/src/utils/long.js');
const LOG_APPEND_TIME = kafkajsModule<{ LOG_APPEND_TIME: number }>(
  'kafkajs/src/protocol/timestampTypes.js',
).LOG_APPEND_TIME;

/** Headers as kafkajs's object shape: repeated keys become arrays (in order among themselves). */
function groupedHeaders(ordered: readonly KafkaHeader[]): KafkajsHeaders {
  const grouped: KafkajsHeaders = {};
  for (const { key, value } of ordered) {
    const existing = grouped[key];
    if (existing === undefined) grouped[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else grouped[key] = [existing, value];
  }
  Object.defineProperty(grouped, ORDERED_HEADERS, { value: ordered, enumerable: false });
  return grouped;
}

/** A kafkajs headers object as an ordered list: the carried list, else the object's own order. */
export function orderedHeadersOf(headers: KafkajsHeaders | undefined): readonly KafkaHeader[] {
  if (headers === undefined) return NO_HEADERS;
  const ordered = headers[ORDERED_HEADERS];
  if (ordered !== undefined) return ordered;
  let out: KafkaHeader[] | null = null;
  for (const key in headers) {
    const value = headers[key];
    out ??= [];
    for (const v of Array.isArray(value) ? value : [value])
      out.push({
        key,
        value: v === undefined || v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v),
      });
  }
  return out ?? NO_HEADERS;
}

/** Headers for a kafkajs message that keep their order and null values through the encoder below. */
export function toKafkajsHeaders(headers: readonly KafkaHeader[]): KafkajsHeaders {
  return groupedHeaders(headers);
}

function decodeRecord(decoder: KafkajsDecoder, context: BatchContext) {
  const attributes = decoder.readInt8();
  const timestampDelta = decoder.readVarLong();
  const timestamp =
    context.timestampType === LOG_APPEND_TIME && context.maxTimestamp
      ? context.maxTimestamp
      : Long.fromValue(context.firstTimestamp).add(timestampDelta).toString();
  const offset = Long.fromValue(context.firstOffset).add(decoder.readVarInt()).toString();
  const key = decoder.readVarIntBytes();
  const value = decoder.readVarIntBytes();
  const count = decoder.readVarInt();
  const ordered: KafkaHeader[] = new Array(Math.max(count, 0));
  for (let i = 0; i < count; i++)
    ordered[i] = { key: decoder.readVarIntString(), value: decoder.readVarIntBytes() };
  return {
    magicByte: context.magicByte,
    attributes,
    timestamp,
    offset,
    key,
    value,
    headers: count > 0 ? groupedHeaders(ordered) : {},
    isControlRecord: context.isControlBatch ?? false,
    batchContext: context,
  };
}

replaceKafkajsModule('kafkajs/src/protocol/recordBatch/record/v0/decoder.js', decodeRecord);
