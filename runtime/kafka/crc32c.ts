/**
 * CRC32C (Castagnoli), the checksum of every Kafka record batch: every produced byte passes through it
 * once. kafkajs computes it in JavaScript a byte at a time (6 % of a mirror's CPU). @node-rs/crc32 uses the
 * CPU's CRC32C instruction, as the Java client does through the JDK; its binary comes as an optional
 * per-platform npm package, so where none fits this falls back to slicing by 8 in JavaScript (eight
 * lookup tables, eight bytes per step: about a third of kafkajs's time).
 */
import { createRequire } from 'node:module';

type Crc32c = (bytes: Uint8Array, start?: number, end?: number) => number;
const POLYNOMIAL = 0x82f63b78; // reflected Castagnoli polynomial

function makeTables(): Int32Array[] {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    tables[0]![n] = c;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[0]![n]!;
    for (let t = 1; t < 8; t++) {
      c = tables[0]![c & 0xff]! ^ (c >>> 8);
      tables[t]![n] = c;
    }
  }
  return tables;
}

const [T0, T1, T2, T3, T4, T5, T6, T7] = makeTables() as [
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
  Int32Array,
];

/** The CRC32C of `bytes[start, end)` in JavaScript, as an unsigned 32-bit number. */
export function crc32cInJavaScript(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = -1;
  let i = start;
  for (const last = end - 8; i <= last; i += 8) {
    const a = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      T7[a & 0xff]! ^
      T6[(a >>> 8) & 0xff]! ^
      T5[(a >>> 16) & 0xff]! ^
      T4[a >>> 24]! ^
      T3[bytes[i + 4]!]! ^
      T2[bytes[i + 5]!]! ^
      T1[bytes[i + 6]!]! ^
      T0[bytes[i + 7]!]!;
  }
  for (; i < end; i++) crc = T0[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function nativeCrc32c(): Crc32c | null {
  try {
    const native = createRequire(import.meta.url)('@node-rs/crc32') as {
      crc32c(input: Uint8Array): number;
    };
    return (bytes, start = 0, end = bytes.length) => native.crc32c(bytes.subarray(start, end)) >>> 0;
  } catch {
    return null; // no binary for this platform: the JavaScript one is correct, only slower
  }
}

/** The CRC32C of `bytes[start, end)`, as an unsigned 32-bit number. */
export const crc32c: Crc32c = nativeCrc32c() ?? crc32cInJavaScript;
