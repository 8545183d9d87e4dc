/**
 * kafkajs, as the rest of runtime/kafka uses it: with the record format that keeps headers exact and
 * with the snappy, lz4 and zstd codecs registered, and with the producer's hot path (grouping, produce
 * request encoding, request framing) replaced by copy-free versions. Import kafkajs values from here, never
 * from 'kafkajs' itself (type-only imports are fine): the replacements must be installed before kafkajs
 * loads, and a reader without the codecs stops on the first compressed batch.
 */
import { createRequire } from 'node:module';
import './kafkajs-record-format.js';
import './kafkajs-message-grouping.js';
import './kafkajs-produce-request.js';
import './kafkajs-request-framing.js';
import { LZ4_CODEC, SNAPPY_CODEC, ZSTD_CODEC } from './compression-codecs.js';

// require(), not import: Node runs a CommonJS module imported by an ES module while linking, before any
// ES module body, so an import would load kafkajs before kafkajs-record-format.js could replace its parts.
const kafkajs = createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs');

export const {
  AssignerProtocol,
  CompressionTypes,
  ConfigResourceTypes,
  Kafka,
  PartitionAssigners,
  Partitioners,
  logLevel,
} = kafkajs;
export type Kafka = import('kafkajs').Kafka;
export type CompressionTypes = import('kafkajs').CompressionTypes;

kafkajs.CompressionCodecs[CompressionTypes.Snappy] = () => SNAPPY_CODEC;
kafkajs.CompressionCodecs[CompressionTypes.LZ4] = () => LZ4_CODEC;
kafkajs.CompressionCodecs[CompressionTypes.ZSTD] = () => ZSTD_CODEC;
