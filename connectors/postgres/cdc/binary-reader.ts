/** Sequential big-endian reader over one protocol message. */
export class BinaryReader {
  private position = 0;

  constructor(private readonly buffer: Buffer) {}

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  uint8(): number {
    const value = this.buffer.readUInt8(this.position);
    this.position += 1;
    return value;
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.position);
    this.position += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.position);
    this.position += 4;
    return value;
  }

  uint32(): number {
    const value = this.buffer.readUInt32BE(this.position);
    this.position += 4;
    return value;
  }

  int64(): bigint {
    const value = this.buffer.readBigInt64BE(this.position);
    this.position += 8;
    return value;
  }

  uint64(): bigint {
    const value = this.buffer.readBigUInt64BE(this.position);
    this.position += 8;
    return value;
  }

  char(): string {
    return String.fromCharCode(this.uint8());
  }

  cstring(): string {
    const end = this.buffer.indexOf(0, this.position);
    if (end < 0) throw new Error('pgoutput: unterminated string');
    const text = this.buffer.toString('utf8', this.position, end);
    this.position = end + 1;
    return text;
  }

  bytes(length: number): Buffer {
    if (length > this.remaining)
      throw new Error(`pgoutput: message too short (${length} bytes wanted, ${this.remaining} left)`);
    const slice = this.buffer.subarray(this.position, this.position + length);
    this.position += length;
    return slice;
  }
}
