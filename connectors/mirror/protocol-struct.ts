/**
 * The subset of Kafka's protocol type encoding (org.apache.kafka.common.protocol.types) that MM2's
 * OffsetSync, Checkpoint and Heartbeat records use: big-endian fixed-width integers and STRING as an
 * int16 byte length followed by UTF-8 bytes. Fields are written in schema order with no framing.
 */
export type ProtocolField =
  | { readonly type: 'int16'; readonly value: number }
  | { readonly type: 'int32'; readonly value: number }
  | { readonly type: 'int64'; readonly value: bigint | number }
  | { readonly type: 'string'; readonly value: string };

export function writeStruct(fields: readonly ProtocolField[]): Buffer {
  const parts: Buffer[] = [];
  for (const f of fields) {
    switch (f.type) {
      case 'int16': {
        const b = Buffer.alloc(2);
        b.writeInt16BE(f.value);
        parts.push(b);
        break;
      }
      case 'int32': {
        const b = Buffer.alloc(4);
        b.writeInt32BE(f.value);
        parts.push(b);
        break;
      }
      case 'int64': {
        const b = Buffer.alloc(8);
        b.writeBigInt64BE(BigInt(f.value));
        parts.push(b);
        break;
      }
      case 'string': {
        const text = Buffer.from(f.value, 'utf8');
        if (text.length > 0x7fff)
          throw new Error(`string field is ${text.length} bytes; the protocol allows at most 32767`);
        const length = Buffer.alloc(2);
        length.writeInt16BE(text.length);
        parts.push(length, text);
        break;
      }
    }
  }
  return Buffer.concat(parts);
}

/** Reads protocol fields in order from a buffer; throws on truncated input. */
export class StructReader {
  private position = 0;

  constructor(private readonly buffer: Buffer) {}

  private need(bytes: number): void {
    if (this.position + bytes > this.buffer.length) {
      throw new Error(
        `record is truncated: needs ${bytes} more bytes at position ${this.position} of ${this.buffer.length}`,
      );
    }
  }

  int16(): number {
    this.need(2);
    const v = this.buffer.readInt16BE(this.position);
    this.position += 2;
    return v;
  }

  int32(): number {
    this.need(4);
    const v = this.buffer.readInt32BE(this.position);
    this.position += 4;
    return v;
  }

  int64(): number {
    this.need(8);
    const v = this.buffer.readBigInt64BE(this.position);
    this.position += 8;
    return Number(v);
  }

  string(): string {
    const length = this.int16();
    if (length < 0) throw new Error('null string where MM2 requires a value');
    this.need(length);
    const v = this.buffer.toString('utf8', this.position, this.position + length);
    this.position += length;
    return v;
  }
}
