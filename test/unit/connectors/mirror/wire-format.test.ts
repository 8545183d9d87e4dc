import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  decodeCheckpoint,
  decodeHeartbeat,
  decodeOffsetSync,
  encodeCheckpointKey,
  encodeCheckpointValue,
  encodeHeartbeatKey,
  encodeHeartbeatValue,
  encodeOffsetSyncKey,
  encodeOffsetSyncValue,
} from '../../../../connectors/mirror/index.js';

// Expected bytes spelled out from MM2's schema definitions (Kafka protocol types: STRING = int16
// length + UTF-8, INT16/INT32/INT64 big-endian), written independently of the encoder.
const str = (s: string): number[] => [
  ...[Buffer.byteLength(s) >> 8, Buffer.byteLength(s) & 0xff],
  ...Buffer.from(s),
];
const i16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
const i32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const i64 = (n: number): number[] => {
  const hi = Math.floor(n / 2 ** 32);
  return [...i32(hi), ...i32(n % 2 ** 32)];
};

describe('MM2 wire formats', () => {
  test('OffsetSync: key {topic STRING, partition INT32}, value {upstreamOffset INT64, offset INT64}, no version header', () => {
    const sync = { topic: 'orders', partition: 7, upstreamOffset: 123_456, downstreamOffset: 5_000_000_001 };
    assert.deepEqual([...encodeOffsetSyncKey(sync)], [...str('orders'), ...i32(7)]);
    assert.deepEqual([...encodeOffsetSyncValue(sync)], [...i64(123_456), ...i64(5_000_000_001)]);
    assert.deepEqual(decodeOffsetSync(encodeOffsetSyncKey(sync), encodeOffsetSyncValue(sync)), sync);
  });

  test('Checkpoint: key {group, topic, partition}, value = version INT16 (0) + {upstreamOffset, offset, metadata}', () => {
    const c = {
      group: 'billing',
      topic: 'A.orders',
      partition: 2,
      upstreamOffset: 100,
      downstreamOffset: 98,
      metadata: 'm',
    };
    assert.deepEqual([...encodeCheckpointKey(c)], [...str('billing'), ...str('A.orders'), ...i32(2)]);
    assert.deepEqual([...encodeCheckpointValue(c)], [...i16(0), ...i64(100), ...i64(98), ...str('m')]);
    assert.deepEqual(decodeCheckpoint(encodeCheckpointKey(c), encodeCheckpointValue(c)), c);
  });

  test('Heartbeat: key {sourceClusterAlias, targetClusterAlias}, value = version INT16 (0) + {timestamp INT64}', () => {
    const h = { sourceClusterAlias: 'A', targetClusterAlias: 'B', timestamp: 1_700_000_000_123 };
    assert.deepEqual([...encodeHeartbeatKey(h)], [...str('A'), ...str('B')]);
    assert.deepEqual([...encodeHeartbeatValue(h)], [...i16(0), ...i64(1_700_000_000_123)]);
    assert.deepEqual(decodeHeartbeat(encodeHeartbeatKey(h), encodeHeartbeatValue(h)), h);
  });

  test('a literal MM2 checkpoint value (version 0, upstream 1, downstream 2, empty metadata)', () => {
    const bytes = Buffer.from('0000' + '0000000000000001' + '0000000000000002' + '0000', 'hex');
    assert.deepEqual(
      encodeCheckpointValue({
        group: 'g',
        topic: 't',
        partition: 0,
        upstreamOffset: 1,
        downstreamOffset: 2,
        metadata: '',
      }),
      bytes,
    );
  });

  test('truncated records are rejected, not misread', () => {
    assert.throws(() => decodeOffsetSync(Buffer.from([0, 5, 0x61]), Buffer.alloc(16)), /truncated/);
  });
});
