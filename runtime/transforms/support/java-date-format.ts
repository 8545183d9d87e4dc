/**
 * The subset of java.text.SimpleDateFormat that Connect configs use (TimestampConverter `format`,
 * TimestampRouter `timestamp.format`), always in UTC as Connect sets it.
 */
type Token =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'field'; readonly letter: string; readonly count: number };

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const SUPPORTED_LETTERS = 'GyYMLDdEuaHkKhmsSzZX';
const NUMERIC_LETTERS = 'yYMLDdukKhHmsS';
const MILLIS_PER_DAY = 86_400_000;

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "'") {
      if (pattern[i + 1] === "'") {
        tokens.push({ kind: 'literal', text: "'" });
        i += 2;
        continue;
      }
      let text = '';
      i++;
      for (;;) {
        if (i >= pattern.length) throw new Error('Unterminated quote');
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += pattern[i++];
      }
      tokens.push({ kind: 'literal', text });
    } else if (/[A-Za-z]/.test(ch)) {
      if (!SUPPORTED_LETTERS.includes(ch)) throw new Error(`Illegal pattern character '${ch}'`);
      let count = 1;
      while (pattern[i + count] === ch) count++;
      tokens.push({ kind: 'field', letter: ch, count });
      i += count;
    } else {
      tokens.push({ kind: 'literal', text: ch });
      i++;
    }
  }
  return tokens;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function formatField(letter: string, count: number, d: Date): string {
  const hours = d.getUTCHours();
  switch (letter) {
    case 'G':
      return 'AD';
    case 'y':
    case 'Y':
      return count === 2 ? pad(d.getUTCFullYear() % 100, 2) : pad(d.getUTCFullYear(), count);
    case 'M':
    case 'L':
      if (count >= 4) return MONTHS[d.getUTCMonth()]!;
      if (count === 3) return MONTHS[d.getUTCMonth()]!.slice(0, 3);
      return pad(d.getUTCMonth() + 1, count);
    case 'D':
      return pad(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / MILLIS_PER_DAY) + 1, count);
    case 'd':
      return pad(d.getUTCDate(), count);
    case 'E':
      return count >= 4 ? DAYS[d.getUTCDay()]! : DAYS[d.getUTCDay()]!.slice(0, 3);
    case 'u':
      return pad(d.getUTCDay() === 0 ? 7 : d.getUTCDay(), count);
    case 'a':
      return hours < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(hours, count);
    case 'k':
      return pad(hours === 0 ? 24 : hours, count);
    case 'K':
      return pad(hours % 12, count);
    case 'h':
      return pad(hours % 12 === 0 ? 12 : hours % 12, count);
    case 'm':
      return pad(d.getUTCMinutes(), count);
    case 's':
      return pad(d.getUTCSeconds(), count);
    case 'S':
      return pad(d.getUTCMilliseconds(), count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    default:
      return 'Z'; // X: ISO 8601 zone, which is "Z" for UTC
  }
}

interface Parts {
  year: number;
  month: number;
  day: number;
  dayOfYear: number | null;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  pm: boolean | null;
  hour12: boolean;
  offsetMinutes: number;
}

function fieldRegex(token: Token & { kind: 'field' }, nextIsNumeric: boolean): string {
  const { letter, count } = token;
  if (NUMERIC_LETTERS.includes(letter) && !((letter === 'M' || letter === 'L') && count >= 3)) {
    // Adjacent numeric fields (yyyyMMdd) can only be split by their widths.
    return nextIsNumeric ? `(\\d{${count}})` : '([-+]?\\d+)';
  }
  switch (letter) {
    case 'M':
    case 'L':
      return `(${MONTHS.map((m) => (count >= 4 ? m : m.slice(0, 3))).join('|')})`;
    case 'E':
      return `(${DAYS.map((m) => (count >= 4 ? m : m.slice(0, 3))).join('|')})`;
    case 'a':
      return '(AM|PM)';
    case 'G':
      return '(AD|BC)';
    case 'Z':
      return '([-+]\\d{4})';
    case 'X':
      return '(Z|[-+]\\d{2}(?::?\\d{2})?)';
    default:
      return '(UTC|GMT(?:[-+]\\d{1,2}:?\\d{2})?|Z|[-+]\\d{4}|Coordinated Universal Time)';
  }
}

function offsetMinutesOf(text: string): number {
  const m = /([-+])(\d{1,2}):?(\d{2})?$/.exec(text);
  if (m === null) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function twoDigitYear(yy: number, now: Date): number {
  // Java resolves 2-digit years into the century starting 80 years before now.
  const start = now.getUTCFullYear() - 80;
  const candidate = Math.floor(start / 100) * 100 + yy;
  return candidate < start ? candidate + 100 : candidate;
}

function applyField(parts: Parts, token: Token & { kind: 'field' }, text: string): void {
  const n = Number(text);
  const lowerIndex = (names: string[]) =>
    names.findIndex((name) => name.toLowerCase().startsWith(text.toLowerCase()));
  switch (token.letter) {
    case 'y':
    case 'Y':
      parts.year = token.count <= 2 && /^\d{2}$/.test(text) ? twoDigitYear(n, new Date()) : n;
      break;
    case 'M':
    case 'L':
      parts.month = token.count >= 3 ? lowerIndex(MONTHS) : n - 1;
      break;
    case 'D':
      parts.dayOfYear = n;
      break;
    case 'd':
      parts.day = n;
      break;
    case 'a':
      parts.pm = text.toUpperCase() === 'PM';
      break;
    case 'H':
      parts.hour = n;
      break;
    case 'k':
      parts.hour = n === 24 ? 0 : n;
      break;
    case 'K':
      parts.hour = n;
      parts.hour12 = true;
      break;
    case 'h':
      parts.hour = n === 12 ? 0 : n;
      parts.hour12 = true;
      break;
    case 'm':
      parts.minute = n;
      break;
    case 's':
      parts.second = n;
      break;
    case 'S':
      parts.millis = n;
      break;
    case 'z':
    case 'Z':
    case 'X':
      parts.offsetMinutes = offsetMinutesOf(text);
      break;
    default:
      break; // G, E, u carry no information a UTC instant needs
  }
}

export class JavaDateFormat {
  private readonly tokens: readonly Token[];
  private readonly parser: RegExp;

  /** Throws an Error (as SimpleDateFormat's IllegalArgumentException) for a pattern it cannot use. */
  constructor(readonly pattern: string) {
    this.tokens = tokenize(pattern);
    const isNumeric = (t: Token | undefined) =>
      t?.kind === 'field' &&
      NUMERIC_LETTERS.includes(t.letter) &&
      !((t.letter === 'M' || t.letter === 'L') && t.count >= 3);
    const source = this.tokens
      .map((t, i) =>
        t.kind === 'literal'
          ? t.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          : fieldRegex(t, isNumeric(this.tokens[i + 1])),
      )
      .join('');
    // Like DateFormat.parse(String), text after the pattern is ignored.
    this.parser = new RegExp(`^${source}`, 'i');
  }

  format(date: Date): string {
    return this.tokens
      .map((t) => (t.kind === 'literal' ? t.text : formatField(t.letter, t.count, date)))
      .join('');
  }

  /** Throws an Error when the text does not match the pattern. */
  parse(text: string): Date {
    const match = this.parser.exec(text);
    if (match === null) throw new Error(`Unparseable date: "${text}"`);
    const parts: Parts = {
      year: 1970,
      month: 0,
      day: 1,
      dayOfYear: null,
      hour: 0,
      minute: 0,
      second: 0,
      millis: 0,
      pm: null,
      hour12: false,
      offsetMinutes: 0,
    };
    let group = 1;
    for (const token of this.tokens) if (token.kind === 'field') applyField(parts, token, match[group++]!);
    const hour = parts.hour12 && parts.pm === true ? parts.hour + 12 : parts.hour;
    const day = parts.dayOfYear !== null ? parts.dayOfYear : parts.day;
    const month = parts.dayOfYear !== null ? 0 : parts.month;
    const utc = Date.UTC(parts.year, month, day, hour, parts.minute, parts.second, parts.millis);
    const withYear = new Date(utc);
    if (parts.year >= 0 && parts.year < 100) withYear.setUTCFullYear(parts.year); // Date.UTC maps 0-99 to 1900s
    return new Date(withYear.getTime() - parts.offsetMinutes * 60_000);
  }
}
