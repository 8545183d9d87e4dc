/** Parsing of PostgreSQL's ISO text output (DateStyle ISO, TimeZone UTC, IntervalStyle iso_8601). */

const MICROS_PER_DAY = 86_400_000_000;

export function epochDays(dateText: string): number {
  const m = /^(\d{4,})-(\d{2})-(\d{2})( BC)?$/.exec(dateText);
  if (m === null) throw new Error(`Unsupported date value ${dateText}`);
  const year = m[4] === undefined ? Number(m[1]) : 1 - Number(m[1]);
  // setUTCFullYear, unlike Date.UTC, does not map years 0..99 to 1900..1999
  const date = new Date(0);
  date.setUTCFullYear(year, Number(m[2]) - 1, Number(m[3]));
  return Math.round(date.getTime() / 86_400_000);
}

/** "HH:MM:SS[.ffffff]" → microseconds of the day ("24:00:00" is allowed, as in PostgreSQL). */
export function microsOfDay(timeText: string): number {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/.exec(timeText);
  if (m === null) throw new Error(`Unsupported time value ${timeText}`);
  const fraction = Number((m[4] ?? '').padEnd(6, '0'));
  return ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1_000_000 + fraction;
}

/** "YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM]]" → epoch microseconds (UTC when no offset). */
export function epochMicros(timestampText: string): number {
  const m =
    /^(\d{4,}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)([+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?( BC)?$/.exec(
      timestampText,
    );
  if (m === null) throw new Error(`Unsupported timestamp value ${timestampText}`);
  const days = epochDays(m[1] + (m[4] ?? ''));
  return days * MICROS_PER_DAY + microsOfDay(m[2]) - offsetMicros(m[3]);
}

function offsetMicros(offset: string | undefined): number {
  if (offset === undefined) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?:?(\d{2})?$/.exec(offset);
  if (m === null) return 0;
  const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return (m[1] === '-' ? -1 : 1) * seconds * 1_000_000;
}

/** Epoch microseconds as ISO-8601 UTC with the fraction trimmed, like java.time's ISO_OFFSET_DATE_TIME. */
export function isoUtcFromMicros(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const subMilli = micros - millis * 1000;
  const base = new Date(millis).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  const fraction = (base.slice(20, 23) + String(subMilli).padStart(3, '0')).replace(/0+$/, '');
  return `${base.slice(0, 19)}${fraction === '' ? '' : `.${fraction}`}Z`;
}

/** timetz "HH:MM:SS[.ffffff]+HH[:MM]" → "HH:MM:SS[.ffffff]Z" in UTC, like Debezium's ZonedTime. */
export function isoUtcTime(timetzText: string): string {
  const m = /^(\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)([+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)$/.exec(timetzText);
  if (m === null) throw new Error(`Unsupported timetz value ${timetzText}`);
  let micros = (microsOfDay(m[1]) - offsetMicros(m[2])) % MICROS_PER_DAY;
  if (micros < 0) micros += MICROS_PER_DAY;
  return isoUtcFromMicros(micros).slice(11);
}

/** ISO-8601 interval "P1Y2M3DT4H5M6.5S" → microseconds, with Debezium's 30-day months and 365.25-day years. */
export function intervalMicros(text: string): number {
  const m =
    /^(-)?P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?[\d.]+)S)?)?$/.exec(
      text,
    );
  if (m === null) throw new Error(`Unsupported interval value ${text} (set IntervalStyle to iso_8601)`);
  const n = (i: number): number => Number(m[i] ?? 0);
  const days = n(2) * 365.25 + n(3) * 30 + n(4);
  const seconds = days * 86_400 + n(5) * 3600 + n(6) * 60 + n(7);
  return Math.round(seconds * 1_000_000) * (m[1] === '-' ? -1 : 1);
}
