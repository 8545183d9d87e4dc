import { DataProblem } from '../conversion-error.js';

/**
 * A JSON number whose exact text matters because a JS number would round it: non-integers with more
 * than 15 significant digits (a Decimal payload such as 1.23456789123456789 must keep every digit).
 */
export class PreciseNumber {
  constructor(readonly text: string) {}
  toNumber(): number {
    return Number(this.text);
  }
}

/** Parsed JSON: integers beyond 2^53 are bigint, over-precise fractions are PreciseNumber. */
export type JsonTree =
  null | boolean | number | bigint | string | PreciseNumber | JsonTree[] | { [key: string]: JsonTree };

// A run of 16+ digits/dots is the only way a number can exceed what a double holds exactly;
// matches inside strings merely send the text to the slower exact parser.
const MAYBE_IMPRECISE_NUMBER = /\d[\d.]{15,}/;

/**
 * Parses JSON like Connect's Jackson reader (leading zeros allowed, big integers exact).
 * The native parser handles the common case; the exact parser only runs when native parsing could lose
 * digits or rejects leading zeros.
 */
export function parseJsonTree(text: string): JsonTree {
  if (!MAYBE_IMPRECISE_NUMBER.test(text)) {
    try {
      return JSON.parse(text) as JsonTree;
    } catch {
      // fall through: the exact parser accepts leading zeros and reports a precise position
    }
  }
  return new ExactJsonParser(text).parseDocument();
}

/** Jackson's node type names, used in Connect's error messages. */
export function jsonNodeType(node: JsonTree | undefined): string {
  if (node === null || node === undefined) return 'NULL';
  switch (typeof node) {
    case 'boolean':
      return 'BOOLEAN';
    case 'number':
    case 'bigint':
      return 'NUMBER';
    case 'string':
      return 'STRING';
  }
  if (node instanceof PreciseNumber) return 'NUMBER';
  return Array.isArray(node) ? 'ARRAY' : 'OBJECT';
}

export function isJsonObject(node: JsonTree | undefined): node is { [key: string]: JsonTree } {
  return (
    typeof node === 'object' && node !== null && !Array.isArray(node) && !(node instanceof PreciseNumber)
  );
}

const NUMBER_TOKEN = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class ExactJsonParser {
  private at = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonTree {
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.at < this.text.length) this.fail('Unexpected content after the JSON value');
    return value;
  }

  private parseValue(): JsonTree {
    this.skipWhitespace();
    const c = this.text[this.at];
    switch (c) {
      case '{':
        return this.parseObject();
      case '[':
        return this.parseArray();
      case '"':
        return this.parseString();
      case 't':
        return this.parseLiteral('true', true);
      case 'f':
        return this.parseLiteral('false', false);
      case 'n':
        return this.parseLiteral('null', null);
      default:
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.parseNumber();
        return this.fail(c === undefined ? 'Unexpected end of input' : `Unexpected character '${c}'`);
    }
  }

  private parseObject(): JsonTree {
    this.at++;
    const result: { [key: string]: JsonTree } = {};
    this.skipWhitespace();
    if (this.text[this.at] === '}') {
      this.at++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.at] !== '"') this.fail('Expected a field name');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.at] !== ':') this.fail("Expected ':'");
      this.at++;
      const value = this.parseValue();
      if (key === '__proto__')
        Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      else result[key] = value;
      this.skipWhitespace();
      const c = this.text[this.at++];
      if (c === '}') return result;
      if (c !== ',') this.fail("Expected ',' or '}'", this.at - 1);
    }
  }

  private parseArray(): JsonTree {
    this.at++;
    const result: JsonTree[] = [];
    this.skipWhitespace();
    if (this.text[this.at] === ']') {
      this.at++;
      return result;
    }
    for (;;) {
      result.push(this.parseValue());
      this.skipWhitespace();
      const c = this.text[this.at++];
      if (c === ']') return result;
      if (c !== ',') this.fail("Expected ',' or ']'", this.at - 1);
    }
  }

  private parseString(): string {
    const start = this.at;
    let end = start + 1;
    let escaped = false;
    for (; end < this.text.length; end++) {
      const c = this.text.charCodeAt(end);
      if (escaped) escaped = false;
      else if (c === 0x5c) escaped = true;
      else if (c === 0x22) break;
    }
    if (end >= this.text.length) this.fail('Unterminated string', start);
    this.at = end + 1;
    try {
      return JSON.parse(this.text.slice(start, end + 1)) as string;
    } catch {
      return this.fail('Invalid string', start);
    }
  }

  private parseLiteral<T extends JsonTree>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.at)) this.fail(`Unrecognized token, expected '${word}'`);
    this.at += word.length;
    return value;
  }

  private parseNumber(): JsonTree {
    NUMBER_TOKEN.lastIndex = this.at;
    const match = NUMBER_TOKEN.exec(this.text);
    if (match === null) return this.fail('Invalid number');
    const token = match[0];
    this.at += token.length;
    if (!/[.eE]/.test(token)) {
      const asNumber = Number(token);
      return Number.isSafeInteger(asNumber) ? asNumber : BigInt(token);
    }
    const significant = token
      .replace(/[eE].*$/, '')
      .replace(/[-.]/g, '')
      .replace(/^0+/, '')
      .replace(/0+$/, '');
    return significant.length <= 15 ? Number(token) : new PreciseNumber(token);
  }

  private skipWhitespace(): void {
    const text = this.text;
    while (this.at < text.length) {
      const c = text.charCodeAt(this.at);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return;
      this.at++;
    }
  }

  private fail(reason: string, position = this.at): never {
    throw new DataProblem(`${reason} at position ${position}`);
  }
}
