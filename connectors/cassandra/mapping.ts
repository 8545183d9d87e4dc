/**
 * The DataStax Kafka connector's mapping language: `col1=key.f1, col2=value.f2.sub, col3=header.h,
 * col4=now(), col5=key, col6=value, __ttl=value.ttl, __timestamp=value.ts`. The left side names a column
 * (double-quoted to keep case), or `__ttl` / `__timestamp` to set the row's TTL or write time from a field.
 * Sluice adds `col=__timestamp`: the Kafka record's own timestamp as a column value.
 */
export type FieldSource =
  | { readonly kind: 'key' | 'value'; readonly path: readonly string[] }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'now' }
  | { readonly kind: 'recordTimestamp' };

export interface ColumnMapping {
  /** The column as CQL knows it: unquoted names are folded to lower case, quoted names kept. */
  readonly column: string;
  readonly source: FieldSource;
  /** The entry as written, for error messages. */
  readonly text: string;
}

export interface TableMapping {
  readonly columns: readonly ColumnMapping[];
  readonly ttlSource: FieldSource | null;
  readonly timestampSource: FieldSource | null;
}

export class MappingSyntaxError extends Error {}

function columnName(raw: string, entry: string): string {
  const text = raw.trim();
  if (/^"(?:[^"]|"")+"$/.test(text)) return text.slice(1, -1).replace(/""/g, '"');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text))
    throw new MappingSyntaxError(
      `"${entry}": "${text}" is not a column name (quote it with "" to keep case or odd characters)`,
    );
  return text.toLowerCase();
}

function fieldSource(raw: string, entry: string): FieldSource {
  const text = raw.trim();
  if (/^now\(\s*\)$/i.test(text)) return { kind: 'now' };
  if (text === '__timestamp') return { kind: 'recordTimestamp' };
  const [root, ...rest] = text.split('.');
  if (root === 'header') {
    if (rest.length === 0 || rest.join('.') === '')
      throw new MappingSyntaxError(`"${entry}": header needs a name (header.<name>)`);
    return { kind: 'header', name: rest.join('.') };
  }
  if (root === 'key' || root === 'value') {
    if (rest.some((part) => part === ''))
      throw new MappingSyntaxError(`"${entry}": empty field name in "${text}"`);
    return { kind: root, path: rest.map((part) => part.replace(/^"(.*)"$/, '$1')) };
  }
  throw new MappingSyntaxError(
    `"${entry}": "${text}" must be key, value, key.<field>, value.<field>, header.<name>, now() or __timestamp`,
  );
}

/** Splits on commas outside double quotes. */
function entriesOf(mapping: string): string[] {
  const entries: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of mapping) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      entries.push(current);
      current = '';
    } else current += char;
  }
  entries.push(current);
  return entries.map((e) => e.trim()).filter((e) => e !== '');
}

export function parseMapping(mapping: string): TableMapping {
  const columns: ColumnMapping[] = [];
  let ttlSource: FieldSource | null = null;
  let timestampSource: FieldSource | null = null;
  const entries = entriesOf(mapping);
  if (entries.length === 0)
    throw new MappingSyntaxError('the mapping is empty: give at least one col=field entry');
  for (const entry of entries) {
    const equals = entry.indexOf('=');
    if (equals <= 0) throw new MappingSyntaxError(`"${entry}" is not col=field`);
    const left = entry.slice(0, equals).trim();
    const source = fieldSource(entry.slice(equals + 1), entry);
    if (left === '__ttl') ttlSource = source;
    else if (left === '__timestamp') timestampSource = source;
    else {
      const column = columnName(left, entry);
      if (columns.some((c) => c.column === column))
        throw new MappingSyntaxError(`"${entry}": column ${column} is mapped twice`);
      columns.push({ column, source, text: entry });
    }
  }
  return { columns, ttlSource, timestampSource };
}

export function describeSource(source: FieldSource): string {
  switch (source.kind) {
    case 'key':
    case 'value':
      return [source.kind, ...source.path].join('.');
    case 'header':
      return `header.${source.name}`;
    case 'now':
      return 'now()';
    case 'recordTimestamp':
      return '__timestamp';
  }
}
