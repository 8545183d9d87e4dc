import { StructReader, writeStruct } from './protocol-struct.js';

/** MM2's OffsetSync: source record `upstreamOffset` of `topic`/`partition` was written at downstream `offset`. */
export interface OffsetSync {
  readonly topic: string;
  readonly partition: number;
  readonly upstreamOffset: number;
  readonly downstreamOffset: number;
}

/** KEY_SCHEMA: topic STRING, partition INT32 (no version header, as in MM2). */
export function encodeOffsetSyncKey(sync: OffsetSync): Buffer {
  return writeStruct([
    { type: 'string', value: sync.topic },
    { type: 'int32', value: sync.partition },
  ]);
}

/** VALUE_SCHEMA: upstreamOffset INT64, offset INT64. */
export function encodeOffsetSyncValue(sync: OffsetSync): Buffer {
  return writeStruct([
    { type: 'int64', value: sync.upstreamOffset },
    { type: 'int64', value: sync.downstreamOffset },
  ]);
}

export function decodeOffsetSync(key: Buffer, value: Buffer): OffsetSync {
  const k = new StructReader(key);
  const v = new StructReader(value);
  const topic = k.string();
  const partition = k.int32();
  return { topic, partition, upstreamOffset: v.int64(), downstreamOffset: v.int64() };
}
