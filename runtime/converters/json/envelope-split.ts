/** The two parts of an envelope written in Connect's canonical compact form. */
export interface EnvelopeParts {
  readonly schemaText: string;
  readonly payloadText: string;
}

const PREFIX = '{"schema":';
const SEPARATOR = ',"payload":';

/**
 * Splits `{"schema":S,"payload":P}` (as Connect and Sluice write it) into the texts of S and P without
 * parsing S, so a converter can look the schema up by its text and parse only the payload. Returns null
 * for any other layout; the caller then parses the whole document. Validity of P is left to its parser.
 */
export function splitCanonicalEnvelope(text: string): EnvelopeParts | null {
  if (!text.startsWith(PREFIX)) return null;
  const schemaStart = PREFIX.length;
  let schemaEnd: number;
  if (text.startsWith('null', schemaStart)) schemaEnd = schemaStart + 4;
  else if (text.charCodeAt(schemaStart) === 0x7b /* { */) {
    schemaEnd = endOfObject(text, schemaStart);
    if (schemaEnd < 0) return null;
  } else return null;
  if (!text.startsWith(SEPARATOR, schemaEnd)) return null;
  let end = text.length;
  while (end > 0 && isJsonWhitespace(text.charCodeAt(end - 1))) end--;
  if (text.charCodeAt(end - 1) !== 0x7d /* } */) return null;
  const payloadStart = schemaEnd + SEPARATOR.length;
  if (payloadStart >= end - 1) return null;
  return { schemaText: text.slice(schemaStart, schemaEnd), payloadText: text.slice(payloadStart, end - 1) };
}

/**
 * The UTF-8 bytes every canonical envelope with this schema text starts with, up to its payload:
 * `{"schema":<schemaText>,"payload":`. A converter compares the next record's bytes with them
 * (payloadTextAfter) instead of decoding, scanning and hashing the schema again.
 */
export function envelopePrefixBytes(schemaText: string): Buffer {
  return Buffer.from(`${PREFIX}${schemaText}${SEPARATOR}`, 'utf8');
}

/**
 * The payload text of `bytes` when they are a canonical envelope starting with `prefix`
 * (from envelopePrefixBytes), else null. Identical bytes are the identical schema text; only the
 * payload is decoded. The cut points are ASCII bytes, so decoding the part equals slicing the whole.
 */
export function payloadTextAfter(bytes: Buffer, prefix: Buffer): string | null {
  const start = prefix.length;
  if (bytes.length <= start + 1 || bytes.compare(prefix, 0, start, 0, start) !== 0) return null;
  let end = bytes.length;
  while (end > start && isJsonWhitespace(bytes[end - 1]!)) end--;
  if (end - 1 <= start || bytes[end - 1] !== 0x7d /* } */) return null;
  return bytes.toString('utf8', start, end - 1);
}

/** Index just past the object that opens at `start`, or -1. */
function endOfObject(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function isJsonWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
