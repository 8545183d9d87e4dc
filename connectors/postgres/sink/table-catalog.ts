import { connectError } from '../../../runtime/api/index.js';
import type { ColumnValue } from './change-event.js';
import { columnTypeOf, columnTypeOfJsValue } from './column-types.js';
import type { SchemaEvolutionMode } from './config.js';
import { qualifiedTableName, quoteIdentifier, tableKey, tableLabel, type TableId } from './identifiers.js';

/** The part of a pg client the catalog and writer use. */
export interface SqlRunner {
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: readonly unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

export interface TableShape {
  readonly table: TableId;
  /** column name → its SQL type as format_type() spells it (used for parameter casts) */
  readonly columns: ReadonlyMap<string, string>;
  readonly primaryKey: readonly string[];
}

/** A column the records need: its name, type and whether it is part of the key. */
export interface ColumnNeed {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly key: boolean;
  /** Where the need came from, for error messages. */
  readonly origin: string;
}

const DESCRIBE_TABLE = `
  SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
         COALESCE(a.attnum = ANY(i.indkey), false) AS key
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
  WHERE c.relname = $1 AND c.relkind IN ('r', 'p')
    AND (CASE WHEN $2::text IS NULL THEN pg_table_is_visible(c.oid) ELSE n.nspname = $2::text END)
  ORDER BY a.attnum`;

/** Collects the columns a set of changes writes to one table (first schema seen for a name wins). */
export function columnNeeds(
  columns: Iterable<{ readonly column: ColumnValue; readonly key: boolean; readonly origin: string }>,
): ColumnNeed[] {
  const needs = new Map<string, ColumnNeed>();
  for (const { column, key, origin } of columns) {
    const known = needs.get(column.name);
    if (known !== undefined && (known.type !== 'text' || column.schema !== null || column.parameter === null))
      continue;
    const type = column.schema !== null ? columnTypeOf(column.schema) : columnTypeOfJsValue(column.parameter);
    needs.set(column.name, {
      name: column.name,
      type,
      optional: column.schema === null || column.schema.optional,
      key,
      origin,
    });
  }
  return [...needs.values()];
}

/**
 * Knows the target tables' columns and, with schema.evolution=basic, creates missing tables and adds missing
 * columns. DDL runs outside the data transaction and uses IF NOT EXISTS, so tasks racing on it agree.
 */
export class TableCatalog {
  private readonly shapes = new Map<string, TableShape>();

  constructor(private readonly evolution: SchemaEvolutionMode) {}

  forget(table?: TableId): void {
    if (table === undefined) this.shapes.clear();
    else this.shapes.delete(tableKey(table));
  }

  /**
   * The table's shape with every needed column present; creates or alters it when allowed, else fails naming
   * what is missing. Null when the table does not exist and nothing would be written to it (only deletes or a
   * truncate): there is nothing to remove from a table that is not there.
   */
  async ensure(
    sql: SqlRunner,
    table: TableId,
    needs: readonly ColumnNeed[],
    writesRows: boolean,
  ): Promise<TableShape | null> {
    let shape = this.shapes.get(tableKey(table)) ?? (await this.describe(sql, table));
    if (shape === null) {
      if (!writesRows) return null;
      if (this.evolution !== 'basic') {
        throw connectError(
          `Table ${tableLabel(table)} does not exist and schema.evolution=none does not create tables (needed by the record at ${needs[0]?.origin ?? 'unknown'}); create it or set schema.evolution=basic`,
        );
      }
      await this.create(sql, table, needs);
      shape = await this.describe(sql, table);
      if (shape === null)
        throw connectError(
          `Table ${tableLabel(table)} was created but cannot be found; is it outside the search_path?`,
        );
    }
    const missing = needs.filter((n) => !shape!.columns.has(n.name));
    if (missing.length > 0) {
      if (this.evolution !== 'basic') {
        const first = missing[0]!;
        throw connectError(
          `Table ${tableLabel(table)} has no column ${first.name} (${first.type}) that the record at ${first.origin} carries` +
            (missing.length > 1
              ? `, nor ${missing
                  .slice(1)
                  .map((m) => m.name)
                  .join(', ')}`
              : '') +
            '; schema.evolution=none does not add columns: add them or set schema.evolution=basic',
        );
      }
      // Added columns are nullable: rows already in the table have no value for them.
      const adds = missing
        .map((m) => `ADD COLUMN IF NOT EXISTS ${quoteIdentifier(m.name)} ${m.type}`)
        .join(', ');
      await ignoringDdlRaces(sql.query(`ALTER TABLE ${qualifiedTableName(table)} ${adds}`));
      shape = await this.describe(sql, table);
      if (shape === null) throw connectError(`Table ${tableLabel(table)} disappeared while adding columns`);
    }
    this.shapes.set(tableKey(table), shape);
    return shape;
  }

  private async describe(sql: SqlRunner, table: TableId): Promise<TableShape | null> {
    const { rows } = await sql.query<{ name: string; type: string; key: boolean }>(DESCRIBE_TABLE, [
      table.table,
      table.schema,
    ]);
    if (rows.length === 0) return null;
    return {
      table,
      columns: new Map(rows.map((r) => [r.name, r.type])),
      primaryKey: rows.filter((r) => r.key).map((r) => r.name),
    };
  }

  private async create(sql: SqlRunner, table: TableId, needs: readonly ColumnNeed[]): Promise<void> {
    const columns = needs.map(
      (n) => `${quoteIdentifier(n.name)} ${n.type}${n.key || !n.optional ? ' NOT NULL' : ''}`,
    );
    const keys = needs.filter((n) => n.key).map((n) => quoteIdentifier(n.name));
    if (keys.length > 0) columns.push(`PRIMARY KEY (${keys.join(', ')})`);
    if (table.schema !== null)
      await ignoringDdlRaces(sql.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(table.schema)}`));
    await ignoringDdlRaces(
      sql.query(`CREATE TABLE IF NOT EXISTS ${qualifiedTableName(table)} (${columns.join(', ')})`),
    );
  }
}

/**
 * IF NOT EXISTS is not atomic: two tasks creating the same table or column at once can still collide on the
 * catalog's unique indexes. The loser's statement is then moot, because the winner made what both wanted.
 */
async function ignoringDdlRaces(ddl: Promise<unknown>): Promise<void> {
  try {
    await ddl;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code !== '23505' && code !== '42P07' && code !== '42P06' && code !== '42701') throw error;
  }
}
