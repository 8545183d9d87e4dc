import type pg from 'pg';

export interface ColumnDefinition {
  readonly name: string;
  readonly typeOid: number;
  readonly typeModifier: number;
  readonly notNull: boolean;
  /** The default's expression as PostgreSQL prints it (`pg_get_expr`), null without one (and for generated columns). */
  readonly defaultExpression: string | null;
}

export interface TableDefinition {
  readonly relationId: number;
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly ColumnDefinition[];
  readonly primaryKey: readonly string[];
}

/** Current columns and primary key of one table, from the system catalogs. Null when it no longer exists. */
export async function loadTableDefinition(
  client: pg.Client,
  relationId: number,
): Promise<TableDefinition | null> {
  const table = await client.query<{ schema: string; table: string }>(
    `SELECT n.nspname AS schema, c.relname AS table FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1`,
    [relationId],
  );
  const row = table.rows[0];
  if (row === undefined) return null;
  const columns = await client.query<{
    name: string;
    type: number;
    typmod: number;
    notnull: boolean;
    default: string | null;
  }>(
    `SELECT a.attname AS name, a.atttypid::int AS type, a.atttypmod AS typmod, a.attnotnull AS notnull,
            CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END AS default
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [relationId],
  );
  const pk = await client.query<{ name: string }>(
    `SELECT a.attname AS name
       FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = $1 AND i.indisprimary ORDER BY k.ord`,
    [relationId],
  );
  return {
    relationId,
    schema: row.schema,
    table: row.table,
    columns: columns.rows.map((c) => ({
      name: c.name,
      typeOid: c.type,
      typeModifier: c.typmod,
      notNull: c.notnull,
      defaultExpression: c.default,
    })),
    primaryKey: pk.rows.map((r) => r.name),
  };
}

export interface TableRef {
  readonly relationId: number;
  readonly schema: string;
  readonly table: string;
}

/** Ordinary and partitioned tables outside the system schemas. */
export async function listUserTables(client: pg.Client): Promise<TableRef[]> {
  const result = await client.query<{ oid: number; schema: string; table: string }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS table
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        AND n.nspname NOT LIKE 'pg_temp%'
      ORDER BY n.nspname, c.relname`,
  );
  return result.rows.map((r) => ({ relationId: r.oid, schema: r.schema, table: r.table }));
}

/** The tables a publication streams. */
export async function listPublicationTables(client: pg.Client, publication: string): Promise<TableRef[]> {
  const result = await client.query<{ oid: number; schema: string; table: string }>(
    `SELECT c.oid::int AS oid, p.schemaname AS schema, p.tablename AS table
       FROM pg_publication_tables p
       JOIN pg_namespace n ON n.nspname = p.schemaname
       JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = p.tablename
      WHERE p.pubname = $1 ORDER BY p.schemaname, p.tablename`,
    [publication],
  );
  return result.rows.map((r) => ({ relationId: r.oid, schema: r.schema, table: r.table }));
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function qualifiedName(schema: string, table: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(table)}`;
}
