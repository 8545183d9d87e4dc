import { StructReader, writeStruct } from './protocol-struct.js';

/** MM2's Heartbeat, emitted to the target's `heartbeats` topic to show a flow is alive. */
export interface Heartbeat {
  readonly sourceClusterAlias: string;
  readonly targetClusterAlias: string;
  readonly timestamp: number;
}

export const HEARTBEAT_VERSION = 0;

/** KEY_SCHEMA: sourceClusterAlias STRING, targetClusterAlias STRING. */
export function encodeHeartbeatKey(h: Heartbeat): Buffer {
  return writeStruct([
    { type: 'string', value: h.sourceClusterAlias },
    { type: 'string', value: h.targetClusterAlias },
  ]);
}

/** HEADER_SCHEMA (version INT16) then VALUE_SCHEMA_V0: timestamp INT64. */
export function encodeHeartbeatValue(h: Heartbeat): Buffer {
  return writeStruct([
    { type: 'int16', value: HEARTBEAT_VERSION },
    { type: 'int64', value: h.timestamp },
  ]);
}

export function decodeHeartbeat(key: Buffer, value: Buffer): Heartbeat {
  const k = new StructReader(key);
  const v = new StructReader(value);
  const sourceClusterAlias = k.string();
  const targetClusterAlias = k.string();
  const version = v.int16();
  if (version !== HEARTBEAT_VERSION) throw new Error(`unsupported heartbeat version ${version}`);
  return { sourceClusterAlias, targetClusterAlias, timestamp: v.int64() };
}
