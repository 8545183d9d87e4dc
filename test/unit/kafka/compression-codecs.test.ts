import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compressSync } from 'snappy';
import { LZ4_CODEC, SNAPPY_CODEC, ZSTD_CODEC } from '../../../runtime/kafka/compression-codecs.js';
import { checkBatchingKeys, compressionOf } from '../../../runtime/kafka/kafkajs-producer.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';

// Larger than one 32 KiB xerial block, and compressible.
const data = Buffer.from(Array.from({ length: 5_000 }, (_, i) => `record ${i};`).join(''));

test('each codec reads back what it wrote', async () => {
  for (const codec of [SNAPPY_CODEC, LZ4_CODEC, ZSTD_CODEC]) {
    const compressed = await codec.compress({ buffer: data });
    assert.ok(compressed.length < data.length);
    assert.deepEqual(await codec.decompress(compressed), data);
  }
});

test("snappy is written in the Java producer's xerial framing, in 32 KiB blocks", async () => {
  const framed = await SNAPPY_CODEC.compress({ buffer: data });
  assert.deepEqual(framed.subarray(0, 8), Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]));
  assert.equal(framed.readInt32BE(8), 1);
  let blocks = 0;
  for (let at = 16; at < framed.length; at += 4 + framed.readInt32BE(at)) blocks++;
  assert.equal(blocks, Math.ceil(data.length / 32_768));
});

test('snappy also reads one raw snappy block, as other clients write', async () => {
  assert.deepEqual(await SNAPPY_CODEC.decompress(compressSync(data)), data);
});

test('compression.type: the five Kafka values; anything else is CONFIG_INVALID_VALUE naming the key', () => {
  for (const type of ['none', 'gzip', 'snappy', 'lz4', 'zstd'])
    assert.doesNotThrow(() => compressionOf(type));
  assert.throws(
    () => compressionOf('brotli'),
    (e: unknown) =>
      e instanceof SluiceError && e.code === 'CONFIG_INVALID_VALUE' && /compression\.type/.test(e.message),
  );
});

test('batch.size and linger.ms: whole numbers from 0, as the Java producer checks them; anything else is CONFIG_INVALID_VALUE naming the key', () => {
  assert.doesNotThrow(() => checkBatchingKeys({}));
  assert.doesNotThrow(() => checkBatchingKeys({ 'batch.size': '0', 'linger.ms': '0' }));
  assert.doesNotThrow(() => checkBatchingKeys({ 'batch.size': ' 1048576 ', 'linger.ms': '100' }));
  for (const [key, value] of [
    ['batch.size', '16k'],
    ['batch.size', '-1'],
    ['batch.size', '2147483648'],
    ['linger.ms', '1.5'],
    ['linger.ms', ''],
  ] as const)
    assert.throws(
      () => checkBatchingKeys({ [key]: value }),
      (e: unknown) =>
        e instanceof SluiceError && e.code === 'CONFIG_INVALID_VALUE' && e.message.includes(key),
      `${key}=${value}`,
    );
});
