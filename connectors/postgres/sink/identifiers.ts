/** A target table; `schema` null means the connection's search_path decides. */
export interface TableId {
  readonly schema: string | null;
  readonly table: string;
}

/**
 * How a name from a record or the config becomes a Postgres identifier. Without quote.identifiers the
 * name is folded the way Postgres folds an unquoted identifier (ASCII letters to lower case); the SQL
 * then quotes the folded name, so reserved words and odd characters still work.
 */
export function identifierName(name: string, quoteIdentifiers: boolean): string {
  return quoteIdentifiers ? name : name.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
}

/** A double-quoted identifier, with embedded quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualifiedTableName(id: TableId): string {
  return id.schema === null
    ? quoteIdentifier(id.table)
    : `${quoteIdentifier(id.schema)}.${quoteIdentifier(id.table)}`;
}

/** For messages: schema.table as a user would write it. */
export function tableLabel(id: TableId): string {
  return id.schema === null ? id.table : `${id.schema}.${id.table}`;
}

export function tableKey(id: TableId): string {
  return JSON.stringify([id.schema, id.table]);
}
