import type { PgTypeInfo } from './pg-types.js';

/**
 * The text of a column's default, as Debezium 3's PostgresDefaultValueConverter finds it in the default's
 * expression (`pg_get_expr(adbin)`): the literal of `'abc'::text`, `'9223372036854775807'::bigint` or a
 * raw `1234`/`true`; none for `NULL::type`. A function default (`now()`, `nextval('s'::regclass)`,
 * `CURRENT_TIMESTAMP`) stands for a value the schema cannot hold, and Debezium writes a fixed placeholder
 * for it (`0`, `''`, the epoch...), so Sluice does the same. Types Debezium has no mapper for (bytea,
 * money, timetz, network types, arrays, ...) have no default in the schema: the result is undefined.
 * The caller converts the text as it converts a value of the column.
 */
export function defaultValueText(type: PgTypeInfo, expression: string | null): string | undefined {
  if (expression === null) return undefined;
  if (type.kind === 'e') return enumDefault(type.name, expression);
  const placeholder = FUNCTION_PLACEHOLDERS.get(type.name);
  if (placeholder === undefined) return undefined;
  const expr = TRIMMED_TYPES.has(type.name) ? expression.trim() : expression;
  if (FUNCTION_DEFAULT.test(expr) || CURRENT_DATE_TIMES.has(expr.toLowerCase())) return placeholder;
  if (!expr.includes("'")) return expr.startsWith('NULL::') ? undefined : expr;
  const literal = /'((?:[^']|'')*)'/.exec(expr);
  return literal === null ? undefined : literal[1]!.replaceAll("''", "'");
}

/**
 * Debezium's FUNCTION_DEFAULT_PATTERN, `^[(]?[A-Za-z0-9_.]+\((?:.+(?:, ?.+)*)?\)`, whose argument part
 * matches what `.*` matches, written so (its nested quantifiers backtrack exponentially in JavaScript),
 * and CURRENT_DATE_TIMES.
 */
const FUNCTION_DEFAULT = /^[(]?[A-Za-z0-9_.]+\(.*\)/;
const CURRENT_DATE_TIMES = new Set([
  'current_timestamp',
  'current_time',
  'current_date',
  'localtime',
  'localtimestamp',
]);
const TRIMMED_TYPES = new Set([
  'bit',
  'varbit',
  'bool',
  'numeric',
  'float4',
  'float8',
  'int2',
  'int4',
  'int8',
  'uuid',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'interval',
]);

/**
 * The types Debezium maps defaults for, with the placeholder it uses for a function default, in the text
 * form PostgreSQL prints (Debezium's `1970-01-01` for timestamps, read as midnight UTC). `interval`'s
 * placeholder (`epoch`) is no interval PostgreSQL prints: such a default is left out.
 */
const FUNCTION_PLACEHOLDERS = new Map<string, string>([
  ['bit', '00'],
  ['varbit', '0'],
  ['bool', 'false'],
  ['bpchar', ''],
  ['varchar', ''],
  ['text', ''],
  ['numeric', '0.0'],
  ['float4', '0.0'],
  ['float8', '0.0'],
  ['int2', '0'],
  ['int4', '0'],
  ['int8', '0'],
  ['json', '{}'],
  ['jsonb', '{}'],
  ['xml', ''],
  ['uuid', '00000000-0000-0000-0000-000000000000'],
  ['date', '1970-01-01'],
  ['time', '00:00:00'],
  ['timestamp', '1970-01-01 00:00:00'],
  ['timestamptz', '1970-01-01 00:00:00+00'],
  ['interval', 'epoch'],
]);

/** An enum's default is `'label'::type` (Debezium: only when the cast names the column's type). */
function enumDefault(typeName: string, expression: string): string | undefined {
  const cast = expression.lastIndexOf('::');
  if (cast < 0) return undefined;
  const castType = expression
    .slice(cast + 2)
    .trim()
    .replaceAll('"', '');
  if (castType !== typeName && !castType.endsWith(`.${typeName}`)) return undefined;
  const value = expression.slice(0, cast);
  return value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1).replaceAll("''", "'") : undefined;
}
