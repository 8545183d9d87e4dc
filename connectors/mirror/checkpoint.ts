import { StructReader, writeStruct } from './protocol-struct.js';

/** MM2's Checkpoint: group `group` on the target may resume `topic`/`partition` (a remote topic) at `downstreamOffset`. */
export interface Checkpoint {
  readonly group: string;
  readonly topic: string;
  readonly partition: number;
  readonly upstreamOffset: number;
  readonly downstreamOffset: number;
  readonly metadata: string;
}

export const CHECKPOINT_VERSION = 0;

/** KEY_SCHEMA: group STRING, topic STRING, partition INT32. */
export function encodeCheckpointKey(c: Checkpoint): Buffer {
  return writeStruct([
    { type: 'string', value: c.group },
    { type: 'string', value: c.topic },
    { type: 'int32', value: c.partition },
  ]);
}

/** HEADER_SCHEMA (version INT16) then VALUE_SCHEMA_V0: upstreamOffset INT64, offset INT64, metadata STRING. */
export function encodeCheckpointValue(c: Checkpoint): Buffer {
  return writeStruct([
    { type: 'int16', value: CHECKPOINT_VERSION },
    { type: 'int64', value: c.upstreamOffset },
    { type: 'int64', value: c.downstreamOffset },
    { type: 'string', value: c.metadata },
  ]);
}

export function decodeCheckpoint(key: Buffer, value: Buffer): Checkpoint {
  const k = new StructReader(key);
  const v = new StructReader(value);
  const group = k.string();
  const topic = k.string();
  const partition = k.int32();
  const version = v.int16();
  if (version !== CHECKPOINT_VERSION) throw new Error(`unsupported checkpoint version ${version}`);
  return {
    group,
    topic,
    partition,
    upstreamOffset: v.int64(),
    downstreamOffset: v.int64(),
    metadata: v.string(),
  };
}
