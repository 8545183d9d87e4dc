/**
 * The subset of Joda-Time's DateTimeFormat that TimeBasedPartitioner's `path.format` uses in practice:
 * `YYYY`/`yyyy` (year), `MM`, `dd`, `HH`, `mm`, `ss`, `'quoted literal'` (with `''` for a quote) and any other
 * character as itself. Letters Joda knows but Sluice does not are refused, naming the pattern letter, rather
 * than written literally into every object name.
 */
type Token = { readonly literal: string } | { readonly field: DateField; readonly width: number };
type DateField = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second';

const FIELDS: Readonly<Record<string, DateField>> = {
  Y: 'year',
  y: 'year',
  M: 'month',
  d: 'day',
  H: 'hour',
  m: 'minute',
  s: 'second',
};

export class JodaPathFormat {
  private readonly tokens: readonly Token[];
  private readonly parts: Intl.DateTimeFormat;

  constructor(
    readonly pattern: string,
    timeZone: string,
  ) {
    this.tokens = tokenize(pattern);
    // Throws RangeError for an unknown zone; the config check turns that into a message on `timezone`.
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  format(epochMillis: number): string {
    const fields = this.fieldsOf(epochMillis);
    return this.tokens
      .map((t) => ('literal' in t ? t.literal : String(fields[t.field]).padStart(t.width, '0')))
      .join('');
  }

  private fieldsOf(epochMillis: number): Record<DateField, number> {
    const out: Record<DateField, number> = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of this.parts.formatToParts(new Date(epochMillis))) {
      if (part.type in out) out[part.type as DateField] = Number(part.value);
    }
    return out;
  }
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = closingQuote(pattern, i + 1);
      tokens.push({ literal: end === i + 1 ? "'" : pattern.slice(i + 1, end).replace(/''/g, "'") });
      i = end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      const field = FIELDS[c];
      if (field === undefined)
        throw new Error(
          `path.format ${pattern}: pattern letter '${c}' is not supported (use YYYY, MM, dd, HH, mm, ss)`,
        );
      tokens.push({ field, width: j - i });
      i = j;
      continue;
    }
    tokens.push({ literal: c });
    i++;
  }
  return tokens;
}

/** Index of the quote closing a literal that opened before `from` (`''` inside is an escaped quote). */
function closingQuote(pattern: string, from: number): number {
  let i = from;
  while (i < pattern.length) {
    if (pattern[i] === "'") {
      if (pattern[i + 1] === "'" && i !== from) {
        i += 2;
        continue;
      }
      return i;
    }
    i++;
  }
  throw new Error(`path.format ${pattern}: unterminated quote`);
}
