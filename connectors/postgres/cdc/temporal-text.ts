/**
 * Parsing of PostgreSQL's ISO text output (DateStyle ISO, TimeZone UTC, IntervalStyle iso_8601) into the values
 * Debezium's PostgreSQL connector emits, over PostgreSQL's whole range (4713 BC to 294276 AD for timestamps):
 * microsecond counts beyond 2^53 stay exact as bigint.
 */
import { civilFromDays, daysFromCivil, isoYear } from './calendar.js';

const MICROS_PER_DAY = 86_400_000_000n;
const MAX_INT64 = 9_223_372_036_854_775_807n;
const MIN_INT64 = -9_223_372_036_854_775_808n;
/** The largest |milliseconds| a JavaScript Date holds (±100,000,000 days around the epoch). */
const MAX_JS_DATE_MILLIS = 8_640_000_000_000_000;

/**
 * What Debezium (PostgresValueConverter, pgoutput path) emits for PostgreSQL's 'infinity' and '-infinity'.
 * Dates: the epoch days of its POSITIVE/NEGATIVE_INFINITY_LOCAL_DATE (-5877611-06-21 and -22: pgjdbc's odd
 * choice, kept for compatibility). Timestamps: pgjdbc's PGStatement.DATE_POSITIVE/NEGATIVE_INFINITY read as
 * microseconds (MicroTimestamp), or those microseconds in milliseconds (Timestamp). timestamptz: the strings.
 */
export const INFINITY_VALUES = {
  dateDays: { infinity: -2_147_472_692, '-infinity': -2_147_472_691 },
  timestampMicros: { infinity: 9_223_372_036_825_200_000n, '-infinity': -9_223_372_036_832_400_000n },
} as const;

type Infinite = 'infinity' | '-infinity';

function isInfinite(text: string): text is Infinite {
  return text === 'infinity' || text === '-infinity';
}

/** A bigint as a number when that is exact, as the int64 fields of records carry it. */
function exactInteger(value: bigint): number | bigint {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** Java's (long) cast of a double: truncates toward zero, saturates at the int64 range, NaN is 0. */
function javaLong(value: number): number | bigint {
  if (Number.isNaN(value)) return 0;
  if (value >= 2 ** 63) return MAX_INT64;
  if (value <= -(2 ** 63)) return MIN_INT64;
  return exactInteger(BigInt(Math.trunc(value)));
}

/** "YYYY-MM-DD[ BC]" → days since 1970-01-01 (io.debezium.time.Date). */
export function epochDays(dateText: string): number {
  if (isInfinite(dateText)) return INFINITY_VALUES.dateDays[dateText];
  const m = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/.exec(dateText);
  if (m === null) throw new Error(`Unsupported date value ${dateText}`);
  const year = m[4] === undefined ? Number(m[1]) : 1 - Number(m[1]);
  return daysFromCivil({ year, month: Number(m[2]), day: Number(m[3]) });
}

/** "HH:MM:SS[.ffffff]" → microseconds of the day ("24:00:00" is allowed, as in PostgreSQL). */
export function microsOfDay(timeText: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(timeText);
  if (m === null) throw new Error(`Unsupported time value ${timeText}`);
  const fraction = Number((m[4] ?? '').padEnd(6, '0'));
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + fraction;
}

/** "YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]][ BC]" → epoch microseconds, exact (UTC when no offset). */
function exactEpochMicros(timestampText: string): bigint {
  if (isInfinite(timestampText)) return INFINITY_VALUES.timestampMicros[timestampText];
  const m =
    /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)([+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?( BC)?$/.exec(
      timestampText,
    );
  if (m === null) throw new Error(`Unsupported timestamp value ${timestampText}`);
  const days = epochDays(m[1] + (m[4] ?? ''));
  return BigInt(days) * MICROS_PER_DAY + BigInt(microsOfDay(m[2]) - offsetMicros(m[3]));
}

/**
 * Epoch microseconds (io.debezium.time.MicroTimestamp). PostgreSQL counts from 2000, so its last 30 years
 * (after 294247-01-10T04:00:54.775807) lie beyond int64 microseconds since 1970: they saturate at
 * 9223372036854775807 (Debezium's multiplyExact fails the task there instead).
 */
export function epochMicros(timestampText: string): number | bigint {
  const micros = exactEpochMicros(timestampText);
  return exactInteger(micros > MAX_INT64 ? MAX_INT64 : micros);
}

/** Epoch milliseconds (io.debezium.time.Timestamp), rounded down like Instant.toEpochMilli. */
export function epochMillis(timestampText: string): number | bigint {
  return exactInteger(floorDiv(exactEpochMicros(timestampText), 1000n));
}

/**
 * A JavaScript Date for Connect's Date/Time/Timestamp logical types (time.precision.mode=connect). A Date
 * cannot hold what lies beyond ±100,000,000 days from 1970 (PostgreSQL's infinities, years past 275760):
 * such values are clamped to the nearest Date there is instead of failing the task.
 */
export function jsDate(millis: number | bigint): Date {
  const clamped = Math.max(-MAX_JS_DATE_MILLIS, Math.min(MAX_JS_DATE_MILLIS, Number(millis)));
  return new Date(clamped);
}

function offsetMicros(offset: string | undefined): number {
  if (offset === undefined) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?:?(\d{2})?$/.exec(offset);
  if (m === null) return 0;
  const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return (m[1] === '-' ? -1 : 1) * seconds * 1_000_000;
}

/** "HH:MM:SS[.ffffff]" with the fraction's trailing zeros trimmed. */
function clock(microsOfTheDay: number): string {
  const seconds = Math.floor(microsOfTheDay / 1_000_000);
  const fraction = String(microsOfTheDay % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '');
  const two = (n: number): string => String(n).padStart(2, '0');
  const hms = `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
  return fraction === '' ? hms : `${hms}.${fraction}`;
}

/** Epoch microseconds as ISO-8601 UTC with the fraction trimmed, like java.time's ISO_OFFSET_DATE_TIME. */
export function isoUtcFromMicros(micros: number | bigint): string {
  const total = BigInt(micros);
  const days = floorDiv(total, MICROS_PER_DAY);
  const { year, month, day } = civilFromDays(Number(days));
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${isoYear(year)}-${two(month)}-${two(day)}T${clock(Number(total - days * MICROS_PER_DAY))}Z`;
}

/**
 * timestamptz text → io.debezium.time.ZonedTimestamp: ISO-8601 UTC, or 'infinity' / '-infinity' as is.
 * Debezium (2.5 and later) writes exactly as many fraction digits as the column's precision (6 for a plain
 * timestamptz, so `03.500000Z` and `03.000000Z`); a precision of 0 uses ISO_OFFSET_DATE_TIME, no fraction.
 */
export function zonedTimestamp(timestamptzText: string, fractionDigits = 6): string {
  if (isInfinite(timestamptzText)) return timestamptzText;
  const trimmed = isoUtcFromMicros(exactEpochMicros(timestamptzText));
  if (fractionDigits <= 0) return trimmed;
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(trimmed);
  if (m === null) return trimmed;
  const digits = (m[2] ?? '').padEnd(fractionDigits, '0').slice(0, fractionDigits);
  return `${m[1]}.${digits}Z`;
}

/** timetz "HH:MM:SS[.ffffff]+HH[:MM]" → "HH:MM:SS[.ffffff]Z" in UTC, like Debezium's ZonedTime. */
export function isoUtcTime(timetzText: string): string {
  // The end of the day wraps to 00:00:00Z, as Debezium 3.6.1 writes it (snapshot and streaming alike).
  const m = /^(\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)([+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)$/.exec(timetzText);
  if (m === null) throw new Error(`Unsupported timetz value ${timetzText}`);
  const day = Number(MICROS_PER_DAY);
  let micros = (microsOfDay(m[1]) - offsetMicros(m[2])) % day;
  if (micros < 0) micros += day;
  return `${clock(micros)}Z`;
}

/**
 * ISO-8601 interval "P1Y2M3DT4H5M6.5S" → microseconds as Debezium's MicroDuration.durationMicros computes
 * them: in double arithmetic with 365.25-day years and 30.4375-day months, then cast like Java's (long), so
 * intervals beyond ±292,000 years saturate at the int64 limits.
 */
export function intervalMicros(text: string): number | bigint {
  const m =
    /^(-)?P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?[\d.]+)S)?)?$/.exec(
      text,
    );
  if (m === null) throw new Error(`Unsupported interval value ${text} (set IntervalStyle to iso_8601)`);
  const sign = m[1] === '-' ? -1 : 1;
  const n = (i: number): number => sign * Number(m[i] ?? 0);
  const days = (n(2) * 12 + n(3)) * (365.25 / 12) + n(4);
  const seconds = ((days * 24 + n(5)) * 60 + n(6)) * 60 + n(7);
  return javaLong(seconds * 1e6);
}
