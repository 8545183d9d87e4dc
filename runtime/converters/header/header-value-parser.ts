import {
  dateSchema,
  decimalSchema,
  SchemaBuilder,
  Schemas,
  timeSchema,
  timestampSchema,
  type Schema,
  type SchemaAndValue,
} from '../../api/schema.js';
import { schemasEqual } from '../../api/schema-validation.js';
import { DataProblem } from '../conversion-error.js';
import { parseDecimalText, toDecimalString } from '../decimal.js';
import { HeaderValueTokenizer } from './header-value-tokenizer.js';

const TRUE: SchemaAndValue = Object.freeze({ schema: Schemas.BOOLEAN, value: true });
const FALSE: SchemaAndValue = Object.freeze({ schema: Schemas.BOOLEAN, value: false });
const DATE_SCHEMA = dateSchema().build();
const TIME_SCHEMA = timeSchema().build();
const TIMESTAMP_SCHEMA = timestampSchema().build();
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/**
 * Connect's Values.parseString, which SimpleHeaderConverter uses to read header values back: booleans,
 * the smallest integer type that fits, float/double, ISO-8601 dates/times (UTC), arrays and maps in
 * the JSON-like syntax convertToString writes, and otherwise the original string.
 * Returns null for the literal `null`.
 */
export function parseHeaderString(text: string): SchemaAndValue | null {
  if (text === '') return { schema: Schemas.STRING, value: text };
  return new HeaderValueParser(new HeaderValueTokenizer(text)).parse(false);
}

class HeaderValueParser {
  constructor(private readonly tokens: HeaderValueTokenizer) {}

  parse(embedded: boolean): SchemaAndValue | null {
    const tokens = this.tokens;
    if (!tokens.hasNext()) return null;
    if (embedded && tokens.canConsume('"')) return this.parseQuotedString();
    if (this.canParseSingleTokenLiteral(embedded, 'null')) return null;
    if (this.canParseSingleTokenLiteral(embedded, 'true')) return TRUE;
    if (this.canParseSingleTokenLiteral(embedded, 'false')) return FALSE;
    const start = tokens.mark();
    try {
      if (tokens.canConsume('[')) return this.parseArray();
      if (tokens.canConsume('{')) return this.parseMap();
    } catch (error) {
      if (!(error instanceof DataProblem)) throw error;
      tokens.rewindTo(start); // not a well-formed array or map: read it as a plain token
    }
    const token = tokens.next();
    if (token.trim() === '') return { schema: Schemas.STRING, value: token };
    return this.parseNextToken(embedded, token.trim());
  }

  /** A literal counts only when it is embedded or the whole text: "true}" is a string. */
  private canParseSingleTokenLiteral(embedded: boolean, literal: string): boolean {
    const start = this.tokens.mark();
    if (this.tokens.canConsume(literal) && (embedded || !this.tokens.hasNext())) return true;
    this.tokens.rewindTo(start);
    return false;
  }

  private parseNextToken(embedded: boolean, token: string): SchemaAndValue {
    const first = token.charCodeAt(0);
    const startsWithDigit = first >= 0x30 && first <= 0x39;
    if (startsWithDigit) {
      const temporal = this.parseMultipleTokensAsTemporal(token);
      if (temporal !== null) return temporal;
    }
    if (startsWithDigit || token[0] === '+' || token[0] === '-') {
      const number = parseAsNumber(token);
      if (number !== null) return number;
    }
    if (embedded) throw new DataProblem('Failed to parse embedded value');
    return { schema: Schemas.STRING, value: this.tokens.original };
  }

  private parseQuotedString(): SchemaAndValue {
    let content = '';
    while (this.tokens.hasNext()) {
      if (this.tokens.canConsume('"')) break;
      content += this.tokens.next();
    }
    return parseAsTemporal(content) ?? { schema: Schemas.STRING, value: content };
  }

  private parseArray(): SchemaAndValue {
    const tokens = this.tokens;
    let items: unknown[] = [];
    const itemSchema = new SchemaMerger();
    while (tokens.hasNext()) {
      if (tokens.canConsume(']')) {
        const common = itemSchema.schema();
        if (common === null) return { schema: new SchemaBuilder('array').build(), value: items };
        items = items.map((item) => alignValue(common, item));
        return { schema: SchemaBuilder.array(common).build(), value: items };
      }
      if (tokens.canConsume(','))
        throw new DataProblem(`Unable to parse an empty array element: ${tokens.original}`);
      const element = this.parse(true);
      itemSchema.merge(element);
      items.push(element?.value ?? null);
      const position = tokens.mark();
      if (tokens.canConsume(']')) tokens.rewindTo(position);
      else if (!tokens.canConsume(',')) throw new DataProblem("Array elements missing ',' delimiter");
    }
    if (tokens.previous() === ',')
      throw new DataProblem(`Array is missing element after ',': ${tokens.original}`);
    throw new DataProblem(`Array is missing terminating ']': ${tokens.original}`);
  }

  private parseMap(): SchemaAndValue {
    const tokens = this.tokens;
    const entries = new Map<unknown, unknown>();
    const keySchema = new SchemaMerger();
    const valueSchema = new SchemaMerger();
    while (tokens.hasNext()) {
      if (tokens.canConsume('}')) {
        const keys = keySchema.schema();
        const values = valueSchema.schema();
        if (keys === null) return { schema: new SchemaBuilder('map').build(), value: entries };
        const aligned = new Map<unknown, unknown>();
        for (const [k, v] of entries)
          aligned.set(alignValue(keys, k), values === null ? v : alignValue(values, v));
        const schema =
          values === null ? new SchemaBuilder('map', keys).build() : SchemaBuilder.map(keys, values).build();
        return { schema, value: aligned };
      }
      if (tokens.canConsume(','))
        throw new DataProblem(`Unable to parse a map entry with no key or value: ${tokens.original}`);
      const key = this.parse(true);
      if (key === null || key.value === null)
        throw new DataProblem(`Map entry may not have a null key: ${tokens.original}`);
      if (!tokens.canConsume(':'))
        throw new DataProblem(`Map entry is missing ':' at ${tokens.position()} in ${tokens.original}`);
      const value = this.parse(true);
      entries.set(key.value, value?.value ?? null);
      tokens.canConsume(',');
      keySchema.merge(key);
      valueSchema.merge(value);
    }
    if (tokens.previous() === ',')
      throw new DataProblem(`Map is missing element after ',': ${tokens.original}`);
    throw new DataProblem(`Map is missing terminating '}': ${tokens.original}`);
  }

  /** An unescaped time has colons, which split it into five tokens; try those together first. */
  private parseMultipleTokensAsTemporal(token: string): SchemaAndValue | null {
    const position = this.tokens.mark();
    const remainder = this.tokens.nextTokens(4);
    if (remainder !== null) {
      const temporal = parseAsTemporal(token + remainder);
      if (temporal !== null) return temporal;
    }
    this.tokens.rewindTo(position);
    return parseAsTemporal(token);
  }
}

/** Connect's parseAsNumber: exact integers take the smallest int type, other numbers float32, float64, or Decimal. */
function parseAsNumber(token: string): SchemaAndValue | null {
  const decimal = parseDecimalText(token);
  if (decimal === null) return null;
  const integral = integralValue(decimal.unscaled, decimal.scale);
  if (integral !== null && integral >= LONG_MIN && integral <= LONG_MAX) {
    if (integral >= -128n && integral <= 127n) return { schema: Schemas.INT8, value: Number(integral) };
    if (integral >= -32768n && integral <= 32767n) return { schema: Schemas.INT16, value: Number(integral) };
    if (integral >= -2147483648n && integral <= 2147483647n)
      return { schema: Schemas.INT32, value: Number(integral) };
    const safe = integral >= BigInt(Number.MIN_SAFE_INTEGER) && integral <= BigInt(Number.MAX_SAFE_INTEGER);
    return { schema: Schemas.INT64, value: safe ? Number(integral) : integral };
  }
  const asDouble = Number(token);
  if (decimal.scale !== 0 && Number.isFinite(Math.fround(asDouble)))
    return { schema: Schemas.FLOAT32, value: asDouble };
  if (decimal.scale !== 0 && Number.isFinite(asDouble)) return { schema: Schemas.FLOAT64, value: asDouble };
  return {
    schema: decimalSchema(decimal.scale).build(),
    value: toDecimalString(decimal.unscaled, decimal.scale),
  };
}

function integralValue(unscaled: bigint, scale: number): bigint | null {
  if (scale <= 0) return unscaled * 10n ** BigInt(-scale);
  const divisor = 10n ** BigInt(scale);
  return unscaled % divisor === 0n ? unscaled / divisor : null;
}

const TIME = /^(\d+):(\d+):(\d+)\.(\d+)Z$/;
const DATE = /^(\d+)-(\d+)-(\d+)$/;
const TIMESTAMP = /^(\d+)-(\d+)-(\d+)T(\d+):(\d+):(\d+)\.(\d+)Z$/;

/** ISO-8601 time (13 chars), timestamp (24) or date (10), read in UTC. */
function parseAsTemporal(token: string): SchemaAndValue | null {
  const text = token.replace(/\\:/g, ':');
  let match: RegExpExecArray | null;
  switch (text.length) {
    case 13:
      match = TIME.exec(text);
      return match === null ? null : { schema: TIME_SCHEMA, value: utc(1970, 1, 1, match.slice(1)) };
    case 24:
      match = TIMESTAMP.exec(text);
      return match === null
        ? null
        : {
            schema: TIMESTAMP_SCHEMA,
            value: utc(Number(match[1]), Number(match[2]), Number(match[3]), match.slice(4)),
          };
    case 10:
      match = DATE.exec(text);
      return match === null
        ? null
        : { schema: DATE_SCHEMA, value: utc(Number(match[1]), Number(match[2]), Number(match[3]), []) };
    default:
      return null;
  }
}

/** Lenient like SimpleDateFormat: out-of-range fields roll over. */
function utc(year: number, month: number, day: number, time: readonly string[]): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(Number(time[0] ?? 0), Number(time[1] ?? 0), Number(time[2] ?? 0), Number(time[3] ?? 0));
  return date;
}

/** Values of a widened common schema: only bigint needs converting for floating-point targets. */
function alignValue(schema: Schema, value: unknown): unknown {
  if (typeof value === 'bigint' && (schema.type === 'float32' || schema.type === 'float64'))
    return Number(value);
  return value;
}

/** Connect's SchemaMerger: the narrowest schema that holds every parsed element, or none. */
class SchemaMerger {
  private common: Schema | null = null;
  private compatible = true;

  merge(latest: SchemaAndValue | null): void {
    if (latest === null || latest.schema === null || !this.compatible) return;
    if (this.common === null) this.common = latest.schema;
    else {
      this.common = mergeSchemas(this.common, latest.schema);
      this.compatible = this.common !== null;
    }
  }

  schema(): Schema | null {
    return this.common;
  }
}

const NUMERIC_RANK: Readonly<Partial<Record<Schema['type'], number>>> = {
  int8: 0,
  int16: 1,
  int32: 2,
  int64: 3,
  float32: 4,
  float64: 5,
};

function mergeSchemas(previous: Schema, next: Schema): Schema | null {
  if (previous.type !== next.type) {
    const previousRank = NUMERIC_RANK[previous.type];
    const nextRank = NUMERIC_RANK[next.type];
    if (previousRank === undefined || nextRank === undefined) return null;
    return nextRank > previousRank ? next : previous;
  }
  if (previous.optional === next.optional) return previous.optional ? previous : next;
  return schemasEqual(previous, next) ? previous : null;
}
