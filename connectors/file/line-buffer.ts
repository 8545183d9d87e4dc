const LF = 0x0a;
const CR = 0x0d;

export interface Line {
  readonly text: string;
  /** Byte position in the file just after the line's terminator: where reading resumes. */
  readonly endPosition: number;
}

/**
 * Splits bytes read from a file into complete lines, tracking byte positions. A line ends at "\n", "\r\n"
 * or a lone "\r" (as Connect's FileStreamSourceTask). Bytes after the last terminator stay pending until
 * the rest of the line arrives, and so does a trailing "\r" whose next byte could still be "\n".
 * Splitting on bytes is safe for UTF-8: CR and LF never occur inside a multi-byte character.
 */
export class LineBuffer {
  private pending: Buffer = Buffer.alloc(0);
  private start = 0;

  /** @param position byte position in the file of the first byte that will be appended */
  constructor(private position: number) {}

  /** Where the next read from the file must start. */
  get readPosition(): number {
    return this.position + this.pending.length - this.start;
  }

  /** Adds bytes read at readPosition; copies them, so the caller may reuse its read buffer. */
  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.pending = Buffer.concat([this.pending.subarray(this.start), chunk]);
    this.start = 0;
  }

  /** The next complete line, or null when only a partial line (or nothing) is pending. */
  next(): Line | null {
    const lf = this.pending.indexOf(LF, this.start);
    const cr = this.pending.indexOf(CR, this.start);
    const until = lf === -1 ? cr : cr === -1 ? lf : Math.min(lf, cr);
    if (until === -1) return null;
    let nextStart = until + 1;
    if (until === cr) {
      if (cr + 1 >= this.pending.length) return null;
      if (this.pending[cr + 1] === LF) nextStart = cr + 2;
    }
    const text = this.pending.toString('utf8', this.start, until);
    this.position += nextStart - this.start;
    this.start = nextStart;
    return { text, endPosition: this.position };
  }
}
