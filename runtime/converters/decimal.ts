import { DataProblem } from './conversion-error.js';
import { insertPoint } from './java-number-format.js';

/** A decimal as Java's BigDecimal holds it: value = unscaled × 10^-scale. */
export interface ScaledDecimal {
  readonly unscaled: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/** Parses decimal text the way `new BigDecimal(text)` does, keeping its scale ("1.50" has scale 2). Null when not a number. */
export function parseDecimalText(text: string): ScaledDecimal | null {
  const match = DECIMAL_TEXT.exec(text);
  if (match === null) return null;
  const whole = match[2] ?? '';
  const fraction = match[3] ?? '';
  if (whole === '' && fraction === '') return null;
  const digits = BigInt(whole + fraction || '0');
  const exponent = match[4] === undefined ? 0 : Number(match[4]);
  return { unscaled: match[1] === '-' ? -digits : digits, scale: fraction.length - exponent };
}

/** The same value at `scale`, or null when that would lose digits. */
export function rescaleExactly(decimal: ScaledDecimal, scale: number): bigint | null {
  if (decimal.scale === scale) return decimal.unscaled;
  if (decimal.scale < scale) return decimal.unscaled * 10n ** BigInt(scale - decimal.scale);
  const divisor = 10n ** BigInt(decimal.scale - scale);
  return decimal.unscaled % divisor === 0n ? decimal.unscaled / divisor : null;
}

/** Sluice's JS form of a Decimal: a plain decimal string such as "-12.340". */
export function toDecimalString(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const body = insertPoint((negative ? -unscaled : unscaled).toString(), scale);
  return negative ? `-${body}` : body;
}

/** Reads a JS decimal value (decimal string, number or bigint) as a BigDecimal would hold it. */
export function decimalFromJs(value: unknown): ScaledDecimal {
  if (typeof value === 'bigint') return { unscaled: value, scale: 0 };
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
    const parsed = parseDecimalText(String(value).trim());
    if (parsed !== null) return parsed;
  }
  throw new DataProblem(
    `Invalid value for Decimal, expected a decimal string but was ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`,
  );
}

/** The decimal's unscaled value at the schema's scale; Connect rejects a mismatching scale, Sluice pads or trims zeros first. */
export function unscaledAtScale(value: unknown, scale: number): bigint {
  const unscaled = rescaleExactly(decimalFromJs(value), scale);
  if (unscaled === null)
    throw new DataProblem(
      `Decimal value ${String(value)} has more fractional digits than the schema's scale ${scale}`,
    );
  return unscaled;
}

/** Java's BigInteger.toByteArray: minimal big-endian two's complement. */
export function unscaledToBytes(unscaled: bigint): Buffer {
  const magnitude = unscaled >= 0n ? unscaled : -unscaled - 1n;
  const bits = magnitude === 0n ? 0 : magnitude.toString(2).length;
  const length = (bits >> 3) + 1;
  const twos = unscaled >= 0n ? unscaled : (1n << BigInt(length * 8)) + unscaled;
  return Buffer.from(twos.toString(16).padStart(length * 2, '0'), 'hex');
}

/** Java's `new BigInteger(bytes)`. */
export function bytesToUnscaled(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new DataProblem('Zero length BigInteger');
  const positive = BigInt(
    `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`,
  );
  return (bytes[0]! & 0x80) === 0 ? positive : positive - (1n << BigInt(bytes.length * 8));
}

/** The scale parameter of a Decimal schema. */
export function decimalScaleOf(parameters: Readonly<Record<string, string>> | undefined): number {
  const raw = parameters?.['scale'];
  const scale = raw === undefined ? NaN : Number(raw);
  if (!Number.isInteger(scale)) throw new DataProblem('Invalid Decimal schema: scale parameter not found.');
  return scale;
}
