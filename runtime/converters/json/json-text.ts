import { formatJavaDouble, formatJavaFloat } from '../java-number-format.js';

// Control characters that have no short escape: Jackson writes them as \u00XX with upper-case hex,
// JSON.stringify with lower-case hex.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const HEX_ESCAPED_CONTROL = /[\u0000-\u0007\u000b\u000e-\u001f]/;
const LOWER_HEX_ESCAPE = /(\\+)u00([0-9a-f]{2})/g;

// Anything JSON.stringify would escape (quote, backslash, control characters, lone surrogates).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal exactly as Jackson writes it. */
export function quoteJson(text: string): string {
  // Fast path for the common case (plain text): one scan instead of stringify plus a scan.
  if (!NEEDS_ESCAPING.test(text)) return `"${text}"`;
  const quoted = JSON.stringify(text);
  if (!HEX_ESCAPED_CONTROL.test(text)) return quoted;
  // An even run of backslashes is an escaped backslash followed by literal text, not an escape.
  return quoted.replace(LOWER_HEX_ESCAPE, (whole, slashes: string, hex: string) =>
    slashes.length % 2 === 1 ? `${slashes}u00${hex.toUpperCase()}` : whole,
  );
}

/** Jackson writes NaN and infinities as strings (QUOTE_NON_NUMERIC_NUMBERS). */
export function doubleJson(value: number): string {
  return Number.isFinite(value) ? formatJavaDouble(value) : `"${formatJavaDouble(value)}"`;
}

export function floatJson(value: number): string {
  return Number.isFinite(value) ? formatJavaFloat(value) : `"${formatJavaFloat(value)}"`;
}

/** An int64 as a plain JSON integer, whether it arrives as number or bigint. */
export function longJson(value: number | bigint): string {
  if (typeof value === 'bigint') return BigInt.asIntN(64, value).toString();
  return Number.isSafeInteger(value) ? String(value) : BigInt.asIntN(64, BigInt(value)).toString();
}

export function base64Json(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return `"${buffer.toString('base64')}"`;
}
