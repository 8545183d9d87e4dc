/** `start.time` / `end.time`: ISO-8601 text or epoch milliseconds; null for empty or unreadable text. */
export function parseTime(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (/^-?\d+$/.test(trimmed)) {
    const ms = Number(trimmed);
    return Number.isSafeInteger(ms) ? ms : null;
  }
  // Date.parse also takes loose forms ("March 7"); only ISO-8601 dates are accepted.
  if (!/^\d{4}-\d{2}-\d{2}/.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? null : ms;
}

/** Which record timestamps to keep: [start, end). A record stored without a timestamp cannot be judged and is kept. */
export class TimeWindow {
  constructor(
    readonly start: number | null,
    readonly end: number | null,
  ) {}

  includes(timestamp: number | null): boolean {
    if (timestamp === null) return true;
    if (this.start !== null && timestamp < this.start) return false;
    return this.end === null || timestamp < this.end;
  }
}
