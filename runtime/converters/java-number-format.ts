/**
 * Number text exactly as the JVM writes it, because Kafka Connect output is produced by Jackson and
 * Java's toString methods and Sluice promises the same bytes.
 */

/** Java's Double.toString (shortest round-trip digits, JDK 19+): "1.0", "0.001", "1.0E7", "1.5E-4". */
export function formatJavaDouble(value: number): string {
  if (!Number.isFinite(value)) return nonFinite(value);
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    const plain = String(value);
    return plain.includes('.') ? plain : `${plain}.0`;
  }
  return scientific(value.toExponential());
}

/** Java's Float.toString for the float32 nearest to `value`: shortest digits that read back as the same float. */
export function formatJavaFloat(value: number): string {
  const f = Math.fround(value);
  if (!Number.isFinite(f)) return nonFinite(f);
  if (f === 0) return Object.is(f, -0) ? '-0.0' : '0.0';
  let exponential = f.toExponential(8);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = f.toExponential(digits - 1);
    if (Math.fround(Number(candidate)) === f) {
      exponential = candidate;
      break;
    }
  }
  const magnitude = Math.abs(f);
  if (magnitude >= 1e-3 && magnitude < 1e7) return plainFromExponential(exponential);
  return scientific(exponential);
}

/** Java's BigDecimal.toString: plain unless the scale is negative or the adjusted exponent is below -6. */
export function formatJavaBigDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const coefficient = (negative ? -unscaled : unscaled).toString();
  const adjusted = -scale + (coefficient.length - 1);
  let body: string;
  if (scale >= 0 && adjusted >= -6) {
    body = insertPoint(coefficient, scale);
  } else {
    const mantissa = coefficient.length > 1 ? `${coefficient[0]}.${coefficient.slice(1)}` : coefficient;
    body = `${mantissa}E${adjusted >= 0 ? '+' : ''}${adjusted}`;
  }
  return negative ? `-${body}` : body;
}

/** `digits` with a decimal point `scale` places from the right (BigDecimal.toPlainString for scale >= 0). */
export function insertPoint(digits: string, scale: number): string {
  if (scale <= 0) return scale === 0 ? digits : digits + '0'.repeat(-scale);
  if (digits.length > scale)
    return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return `0.${'0'.repeat(scale - digits.length)}${digits}`;
}

function nonFinite(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}

/** "1.5e+7" → "1.5E7", "1e-5" → "1.0E-5". */
function scientific(exponential: string): string {
  const e = exponential.indexOf('e');
  let mantissa = exponential.slice(0, e);
  if (!mantissa.includes('.')) mantissa += '.0';
  const exponent = exponential.slice(e + 1);
  return `${mantissa}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

/** "1.234e+2" → "123.4", "5e-3" → "0.005", "1e+6" → "1000000.0". */
function plainFromExponential(exponential: string): string {
  const e = exponential.indexOf('e');
  const negative = exponential.startsWith('-');
  const mantissa = exponential.slice(negative ? 1 : 0, e).replace('.', '');
  const exponent = Number(exponential.slice(e + 1));
  let body: string;
  if (exponent >= 0) {
    const whole = mantissa.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    body = `${whole}.${mantissa.slice(exponent + 1) || '0'}`;
  } else {
    body = `0.${'0'.repeat(-exponent - 1)}${mantissa}`;
  }
  return negative ? `-${body}` : body;
}
