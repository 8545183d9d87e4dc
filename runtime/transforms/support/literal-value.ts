import { Schemas, type Schema } from '../../api/schema.js';

export interface LiteralValue {
  readonly schema: Schema | null;
  readonly value: unknown;
}

/**
 * A typed value from configuration text, after Connect's Values.parseString for scalars: booleans, whole numbers
 * in the smallest int type that holds them, other numbers as float64, `null`, else the string itself.
 * Arrays and maps stay strings.
 */
export function parseLiteral(text: string): LiteralValue {
  if (text === '') return { schema: Schemas.STRING, value: text };
  const trimmed = text.trim();
  if (trimmed === 'null') return { schema: null, value: null };
  if (trimmed === 'true' || trimmed === 'false')
    return { schema: Schemas.BOOLEAN, value: trimmed === 'true' };
  if (/^[-+]?\d+$/.test(trimmed)) {
    const big = BigInt(trimmed);
    if (big >= -128n && big <= 127n) return { schema: Schemas.INT8, value: Number(big) };
    if (big >= -32768n && big <= 32767n) return { schema: Schemas.INT16, value: Number(big) };
    if (big >= -2147483648n && big <= 2147483647n) return { schema: Schemas.INT32, value: Number(big) };
    if (big >= -(1n << 63n) && big < 1n << 63n)
      return { schema: Schemas.INT64, value: Number.isSafeInteger(Number(big)) ? Number(big) : big };
  }
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed))
    return { schema: Schemas.FLOAT64, value: Number(trimmed) };
  return { schema: Schemas.STRING, value: text };
}
