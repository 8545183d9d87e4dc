/**
 * The record-batch codecs kafkajs lacks, in the shape kafkajs's CompressionCodecs take. Each reads
 * what the Java producer and the broker write, and writes what they read (docs/kafka-client.md):
 * - snappy: Java writes snappy-java's "xerial" framing (a magic header, then length-prefixed raw
 *   snappy blocks); other clients write one raw snappy block. Both are read; xerial is written.
 * - lz4: the standard LZ4 frame format (Kafka's magic v2 batches, KIP-57), independent blocks.
 * - zstd: standard zstd frames, with or without a content size (Java streams them without one).
 */
import { compress as zstdCompress, decompress as zstdDecompress } from '@mongodb-js/zstd';
import { compressFrame, decompressFrame } from 'lz4-napi';
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from 'snappy';

/** kafkajs hands compress() its record encoder; only the bytes matter here. */
export interface CompressionCodec {
  compress(encoder: { readonly buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
/** snappy-java's default block size: what the Java producer's batches are made of. */
const XERIAL_BLOCK_SIZE = 32 * 1024;
/** The Java producer's zstd level (compression.zstd.level default). */
const ZSTD_LEVEL = 3;

function isXerialFramed(buffer: Buffer): boolean {
  return buffer.length >= XERIAL_HEADER_SIZE && buffer.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

function xerialUnframe(buffer: Buffer): Buffer {
  const blocks: Buffer[] = [];
  let position = XERIAL_HEADER_SIZE;
  while (position < buffer.length) {
    if (position + 4 > buffer.length) throw new Error('truncated xerial snappy block length');
    const length = buffer.readInt32BE(position);
    position += 4;
    if (length < 0 || position + length > buffer.length) throw new Error('truncated xerial snappy block');
    blocks.push(snappyUncompress(buffer.subarray(position, position + length)) as Buffer);
    position += length;
  }
  return Buffer.concat(blocks);
}

function xerialFrame(data: Buffer): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header);
  header.writeInt32BE(1, 8); // format version
  header.writeInt32BE(1, 12); // minimum compatible version
  const parts: Buffer[] = [header];
  for (let offset = 0; offset < data.length; offset += XERIAL_BLOCK_SIZE) {
    const block = snappyCompress(data.subarray(offset, offset + XERIAL_BLOCK_SIZE));
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

export const SNAPPY_CODEC: CompressionCodec = {
  compress: async (encoder) => xerialFrame(encoder.buffer),
  decompress: async (buffer) =>
    isXerialFramed(buffer) ? xerialUnframe(buffer) : (snappyUncompress(buffer) as Buffer),
};

export const LZ4_CODEC: CompressionCodec = {
  compress: (encoder) => compressFrame(encoder.buffer),
  decompress: (buffer) => decompressFrame(buffer),
};

export const ZSTD_CODEC: CompressionCodec = {
  compress: (encoder) => zstdCompress(encoder.buffer, ZSTD_LEVEL),
  decompress: (buffer) => zstdDecompress(buffer),
};
