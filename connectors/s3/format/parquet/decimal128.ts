/**
 * Sluice's Decimal value (a decimal string such as "-12.340") as a Parquet decimal128 holds it: an unscaled
 * integer in four little-endian 32-bit words, two's complement. Connectors may not import the converters'
 * decimal helpers, hence this small copy of the two directions the format needs.
 */

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** The unscaled value of `text` at `scale`, or a reason why it has none. */
export function unscaledOf(text: string, scale: number): bigint | string {
  const match = DECIMAL_TEXT.exec(text.trim());
  const whole = match?.[2] ?? '';
  const fraction = match?.[3] ?? '';
  if (match === null || (whole === '' && fraction === '')) return `${JSON.stringify(text)} is not a decimal`;
  const trimmed = fraction.replace(/0+$/, '');
  if (trimmed.length > scale) return `${text} has more fractional digits than the schema's scale ${scale}`;
  const digits = BigInt((whole || '0') + trimmed.padEnd(scale, '0'));
  return match[1] === '-' ? -digits : digits;
}

/** The decimal string of `unscaled` × 10^-scale, keeping `scale` fractional digits ("-0.50"). */
export function decimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${body}` : body;
}

export function toWords(unscaled: bigint): Uint32Array {
  const bits = BigInt.asUintN(128, unscaled);
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = Number((bits >> BigInt(32 * i)) & 0xffffffffn);
  return words;
}

export function fromWords(words: Uint32Array): bigint {
  let bits = 0n;
  for (let i = 3; i >= 0; i--) bits = (bits << 32n) | BigInt(words[i] ?? 0);
  return BigInt.asIntN(128, bits);
}
