/**
 * Connect's Values.Parser: splits header text into tokens, where each unescaped `: , { } [ ] "` is a
 * token of its own and everything between them is one token (whitespace included, escapes kept).
 */
export class HeaderValueTokenizer {
  private index = 0;
  private pending: string | null = null;
  private previousToken: string | null = null;

  constructor(readonly original: string) {}

  position(): number {
    return this.index;
  }

  /** Where the next token starts, counting a token already peeked at. */
  mark(): number {
    return this.index - (this.pending?.length ?? 0);
  }

  rewindTo(position: number): void {
    this.index = position;
    this.pending = null;
    this.previousToken = null;
  }

  hasNext(): boolean {
    return this.pending !== null || this.index < this.original.length;
  }

  next(): string {
    if (this.pending !== null) {
      this.previousToken = this.pending;
      this.pending = null;
    } else this.previousToken = this.consume();
    return this.previousToken;
  }

  /** The text of the next `count` tokens, or null (and nothing consumed) when there are fewer. */
  nextTokens(count: number): string | null {
    const start = this.mark();
    for (let i = 0; i < count; i++) {
      if (!this.hasNext()) {
        this.rewindTo(start);
        return null;
      }
      this.next();
    }
    return this.original.substring(start, this.position());
  }

  previous(): string | null {
    return this.previousToken;
  }

  /** Consumes the next non-blank token when, trimmed, it equals `expected`. */
  canConsume(expected: string): boolean {
    if (this.pending === null) {
      if (!this.hasNext()) return false;
      this.pending = this.consume();
    }
    while (this.pending.trim() === '' && this.index < this.original.length) this.pending = this.consume();
    if (this.pending.trim() !== expected) return false;
    this.pending = null;
    return true;
  }

  private consume(): string {
    const text = this.original;
    const start = this.index;
    let escaped = false;
    while (this.index < text.length) {
      const c = text[this.index];
      switch (c) {
        case '\\':
          escaped = !escaped;
          break;
        case ':':
        case ',':
        case '{':
        case '}':
        case '[':
        case ']':
        case '"':
          if (!escaped) {
            if (start < this.index) return text.substring(start, this.index);
            this.index++;
            return text.substring(start, start + 1);
          }
          escaped = false;
          break;
        default:
          escaped = false;
      }
      this.index++;
    }
    return text.substring(start, this.index);
  }
}
