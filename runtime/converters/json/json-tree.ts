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

/**
 * Parses JSON like Connect's Jackson reader (leading zeros allowed, big integers exact).
 * The native parser handles the common case; the exact parser only runs when native parsing could lose
 * digits or rejects leading zeros.
 */
export function parseJsonTree(text: string): JsonTree {
  if (!mayHoldImpreciseNumber(text)) {
    try {
      return JSON.parse(text) as JsonTree;
    } catch {
      // fall through: the exact parser accepts leading zeros and reports a precise position
    }
  }
  return new ExactJsonParser(text).parseDocument();
}

/**
 * True when a number outside the string literals of `text` has a run of 16 or more digits and dots
 * starting with a digit: the only way a JSON number can hold more than a double keeps exactly (an integer
 * beyond 2^53, or more than 15 significant digits). String literals are skipped with indexOf, so a long
 * text value costs almost nothing and digits inside it never send the document to the exact parser.
 * For text that is not valid JSON the answer does not matter: the native parser rejects it either way.
 */
export function mayHoldImpreciseNumber(text: string): boolean {
  const length = text.length;
  let at = 0;
  while (at < length) {
    let quote = text.indexOf('"', at);
    if (quote < 0) quote = length;
    if (quote - at >= 16 && hasLongDigitRun(text, at, quote)) return true;
    // Skip the string literal: its closing quote is the next one not escaped by an odd run of backslashes.
    let close = quote;
    for (;;) {
      close = text.indexOf('"', close + 1);
      if (close < 0) return false;
      let slashes = 0;
      while (text.charCodeAt(close - 1 - slashes) === 0x5c /* \ */) slashes++;
      if ((slashes & 1) === 0) break;
    }
    at = close + 1;
  }
  return false;
}

/** Whether text[from, to) holds 16+ consecutive digits and dots, the first of them a digit. */
function hasLongDigitRun(text: string, from: number, to: number): boolean {
  let run = 0; // length of the current run counted from its first digit; 0 outside a run
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (++run >= 16) return true;
    } else if (c === 0x2e /* . */ && run > 0) {
      if (++run >= 16) return true;
    } else run = 0;
  }
  return false;
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
