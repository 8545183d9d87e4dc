import type pg from 'pg';

/** What the CDC source needs to know about a PostgreSQL type. Domains are resolved to their base type. */
export interface PgTypeInfo {
  readonly oid: number;
  readonly name: string;
  /** pg_type.typtype: b base, e enum, c composite, r range... */
  readonly kind: string;
  /** pg_type.typcategory: A for arrays */
  readonly category: string;
  readonly elementOid: number;
  readonly enumValues: readonly string[];
}

/** Type details by oid, loaded from pg_type on first use. */
export class PgTypeRegistry {
  private readonly types = new Map<number, PgTypeInfo>();

  constructor(private readonly client: pg.Client) {}

  get(oid: number): PgTypeInfo | undefined {
    return this.types.get(oid);
  }

  /** Loads the types (and array element types) not yet known. */
  async load(oids: Iterable<number>): Promise<void> {
    let missing = [...new Set(oids)].filter((oid) => !this.types.has(oid));
    while (missing.length > 0) {
      const result = await this.client.query<{
        oid: number;
        name: string;
        kind: string;
        category: string;
        element: number;
        enums: string[] | null;
      }>(
        `SELECT t.oid::int AS oid, b.typname AS name, b.typtype AS kind, t.typcategory AS category, t.typelem::int AS element,
                (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = b.oid) AS enums
           FROM pg_type t JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
          WHERE t.oid = ANY($1::oid[])`,
        [missing],
      );
      const next: number[] = [];
      for (const row of result.rows) {
        this.types.set(row.oid, {
          oid: row.oid,
          name: row.name,
          kind: row.kind,
          category: row.category,
          elementOid: row.element,
          enumValues: row.enums ?? [],
        });
        if (row.category === 'A' && row.element !== 0 && !this.types.has(row.element)) next.push(row.element);
      }
      for (const oid of missing) {
        if (!this.types.has(oid))
          this.types.set(oid, {
            oid,
            name: 'unknown',
            kind: 'b',
            category: 'U',
            elementOid: 0,
            enumValues: [],
          });
      }
      missing = next;
    }
  }
}
