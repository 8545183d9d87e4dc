import { SluiceError } from '../errors/sluice-error.js';
import type { ConfigDef, ConfigIssue, ConfigKey, ParsedConfigValue } from './config-def.js';

const JAVA_RANGES = {
  short: { min: -(2n ** 15n), max: 2n ** 15n - 1n },
  int: { min: -(2n ** 31n), max: 2n ** 31n - 1n },
  long: { min: -(2n ** 63n), max: 2n ** 63n - 1n },
} as const;

function withinRange(n: bigint, range: { readonly min: bigint; readonly max: bigint }): boolean {
  return n >= range.min && n <= range.max;
}

function parseOne(key: string, def: ConfigKey, raw: string): ParsedConfigValue {
  const text = raw.trim();
  switch (def.type) {
    case 'short':
    case 'int':
    case 'long': {
      // Connect parses SHORT as a Java short, INT as a Java int and LONG as a Java long: anything outside those ranges is no number of the type.
      if (!/^[-+]?\d+$/.test(text) || !withinRange(BigInt(text), JAVA_RANGES[def.type]))
        throw new Error(
          `Invalid value ${raw} for configuration ${key}: Not a number of type ${def.type.toUpperCase()}`,
        );
      return Number(text);
    }
    case 'double': {
      const n = Number(text);
      if (text === '' || Number.isNaN(n))
        throw new Error(`Invalid value ${raw} for configuration ${key}: Not a number of type DOUBLE`);
      return n;
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (lower !== 'true' && lower !== 'false')
        throw new Error(
          `Invalid value ${raw} for configuration ${key}: Expected value to be either true or false`,
        );
      return lower === 'true';
    }
    case 'list':
      return text === ''
        ? []
        : text
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== '');
    case 'string':
    case 'password':
    case 'class':
      return def.type === 'string' ? raw : text;
  }
}

function checkValidator(key: string, def: ConfigKey, value: ParsedConfigValue, raw: string): string | null {
  const v = def.validator;
  if (v === undefined || value === null) return null;
  if (typeof value === 'number') {
    if (v.min !== undefined && value < v.min)
      return `Invalid value ${raw} for configuration ${key}: Value must be at least ${v.min}`;
    if (v.max !== undefined && value > v.max)
      return `Invalid value ${raw} for configuration ${key}: Value must be no more than ${v.max}`;
  }
  if (typeof value === 'string') {
    if (v.nonEmpty && value.trim() === '')
      return `Invalid value ${raw} for configuration ${key}: String must be non-empty`;
    if (v.oneOf && !v.oneOf.some((o) => o.toLowerCase() === value.trim().toLowerCase())) {
      return `Invalid value ${raw} for configuration ${key}: String must be one of: ${v.oneOf.join(', ')}`;
    }
    if (v.pattern && !new RegExp(v.pattern).test(value))
      return `Invalid value ${raw} for configuration ${key}: must match ${v.pattern}`;
  }
  if (Array.isArray(value) && v.oneOf) {
    const bad = value.find((item) => !v.oneOf!.some((o) => o.toLowerCase() === item.toLowerCase()));
    if (bad !== undefined)
      return `Invalid value ${bad} for configuration ${key}: must be one of: ${v.oneOf.join(', ')}`;
  }
  if (v.check) {
    const problem = v.check(value);
    if (problem !== null) return `Invalid value ${raw} for configuration ${key}: ${problem}`;
  }
  return null;
}

function defaultOf(def: ConfigKey): ParsedConfigValue {
  const d = def.default;
  if (d === undefined || d === null) return null;
  if (def.type === 'list' && typeof d === 'string') return d === '' ? [] : d.split(',').map((s) => s.trim());
  return d;
}

/**
 * Typed view of raw string properties checked against a ConfigDef (Connect's AbstractConfig).
 * Keys not in the definition stay readable as raw strings through `raw`.
 */
export class ConfigValues {
  private constructor(
    readonly raw: Readonly<Record<string, string>>,
    private readonly values: ReadonlyMap<string, ParsedConfigValue>,
    readonly issues: readonly ConfigIssue[],
  ) {}

  /** Parses every defined key; never throws — problems are collected in `issues`, each naming its key. */
  static parse(def: ConfigDef, raw: Readonly<Record<string, string>>): ConfigValues {
    const values = new Map<string, ParsedConfigValue>();
    const issues: ConfigIssue[] = [];
    for (const [key, keyDef] of Object.entries(def)) {
      const rawValue = raw[key];
      if (rawValue === undefined) {
        if (keyDef.default === undefined) {
          issues.push({
            key,
            message: `Missing required configuration "${key}" which has no default value.`,
          });
          values.set(key, null);
        } else values.set(key, defaultOf(keyDef));
        continue;
      }
      try {
        const value = parseOne(key, keyDef, rawValue);
        const problem = checkValidator(key, keyDef, value, rawValue);
        if (problem !== null) issues.push({ key, message: problem });
        values.set(key, value);
      } catch (error) {
        issues.push({ key, message: (error as Error).message });
        values.set(key, defaultOf(keyDef));
      }
    }
    return new ConfigValues(raw, values, issues);
  }

  /** Like parse, but fails with Connect's "configuration is invalid" error (INVALID_CONFIG) listing every issue. */
  static parseOrThrow(def: ConfigDef, raw: Readonly<Record<string, string>>): ConfigValues {
    const parsed = ConfigValues.parse(def, raw);
    if (parsed.issues.length > 0) {
      throw new SluiceError('INVALID_CONFIG', [
        parsed.issues.length,
        parsed.issues.map((i) => i.message).join('\n'),
      ]);
    }
    return parsed;
  }

  has(key: string): boolean {
    return this.values.has(key) && this.values.get(key) !== null;
  }

  private get(key: string): ParsedConfigValue {
    if (!this.values.has(key)) throw new Error(`Unknown configuration '${key}'`);
    return this.values.get(key) ?? null;
  }

  string(key: string): string {
    const v = this.get(key);
    return v === null ? '' : String(v);
  }

  optionalString(key: string): string | null {
    const v = this.get(key);
    return v === null ? null : String(v);
  }

  number(key: string): number {
    const v = this.get(key);
    if (typeof v !== 'number') throw new Error(`Configuration '${key}' is not a number`);
    return v;
  }

  boolean(key: string): boolean {
    return this.get(key) === true;
  }

  list(key: string): readonly string[] {
    const v = this.get(key);
    return Array.isArray(v) ? v : [];
  }

  /** Raw properties under `prefix`, with the prefix removed (Connect's originalsWithPrefix). */
  withPrefix(prefix: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.raw)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    return out;
  }
}
