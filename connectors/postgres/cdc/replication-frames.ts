import { BinaryReader } from './binary-reader.js';
import type { Lsn } from './lsn.js';

/** Microseconds between the Unix epoch and PostgreSQL's epoch (2000-01-01). */
export const PG_EPOCH_OFFSET_MICROS = 946_684_800_000_000n;

/** A CopyData frame of the streaming replication protocol, as sent by the server. */
export type ServerFrame =
  | {
      readonly kind: 'xlog';
      readonly startLsn: Lsn;
      readonly endLsn: Lsn;
      readonly sendTimeMicros: bigint;
      readonly payload: Buffer;
    }
  | {
      readonly kind: 'keepalive';
      readonly walEnd: Lsn;
      readonly sendTimeMicros: bigint;
      readonly replyRequested: boolean;
    };

export function decodeServerFrame(chunk: Buffer): ServerFrame {
  const reader = new BinaryReader(chunk);
  const tag = reader.char();
  if (tag === 'w') {
    const startLsn = reader.uint64();
    const endLsn = reader.uint64();
    const sendTimeMicros = reader.int64();
    return { kind: 'xlog', startLsn, endLsn, sendTimeMicros, payload: chunk.subarray(25) };
  }
  if (tag === 'k') {
    return {
      kind: 'keepalive',
      walEnd: reader.uint64(),
      sendTimeMicros: reader.int64(),
      replyRequested: reader.uint8() === 1,
    };
  }
  throw new Error(`replication: unknown CopyData frame '${tag}'`);
}

/** Standby status update ('r'): what the client received, flushed (confirmed) and applied. */
export function standbyStatusUpdate(
  received: Lsn,
  flushed: Lsn,
  applied: Lsn,
  nowMs: number,
  replyRequested = false,
): Buffer {
  const frame = Buffer.alloc(34);
  frame.write('r', 0, 'latin1');
  frame.writeBigUInt64BE(received, 1);
  frame.writeBigUInt64BE(flushed, 9);
  frame.writeBigUInt64BE(applied, 17);
  frame.writeBigInt64BE(BigInt(nowMs) * 1000n - PG_EPOCH_OFFSET_MICROS, 25);
  frame.writeUInt8(replyRequested ? 1 : 0, 33);
  return frame;
}

/** PostgreSQL timestamps (microseconds since 2000-01-01) as Unix epoch microseconds. */
export function pgMicrosToUnixMicros(pgMicros: bigint): bigint {
  return pgMicros + PG_EPOCH_OFFSET_MICROS;
}
