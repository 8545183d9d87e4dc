import { stringify } from 'yaml';

export type OutputFormat = 'table' | 'json' | 'yaml';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml'];

/** What a command prints: the data scripts want (json, yaml) and how people read it (table). */
export interface Printable {
  readonly data: unknown;
  /** Rows of cells, the first row the header; absent means the table format prints the data as YAML. */
  readonly table?: readonly (readonly string[])[];
  /** Free text the table format prints instead of (or, with table, before) rows. */
  readonly text?: string;
}

/** Columns padded to their widest cell, two spaces apart, as kubectl and kcctl print. */
export function renderTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function render(printable: Printable, format: OutputFormat): string {
  if (format === 'json') return `${JSON.stringify(printable.data, null, 2)}\n`;
  if (format === 'yaml') return stringify(printable.data);
  const parts: string[] = [];
  if (printable.text !== undefined) parts.push(printable.text.replace(/\n$/, ''));
  if (printable.table !== undefined) parts.push(renderTable(printable.table));
  if (parts.length === 0) return stringify(printable.data);
  return `${parts.join('\n\n')}\n`;
}
