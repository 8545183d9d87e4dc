import type { ColumnValue, DeleteChange, UpsertChange } from './change-event.js';
import type { TablePlan } from './batch-plan.js';
import type { InsertMode } from './config.js';
import { qualifiedTableName, quoteIdentifier } from './identifiers.js';
import type { SqlRunner, TableShape } from './table-catalog.js';

/** Postgres accepts at most 65535 parameters per statement; stay well below. */
const MAX_PARAMETERS = 60_000;

/** Writes one table's plan with multi-row statements; the caller owns the transaction. */
export class TableWriter {
  constructor(
    private readonly sql: SqlRunner,
    private readonly shape: TableShape,
    private readonly insertMode: InsertMode,
    private readonly batchSize: number,
  ) {}

  async apply(plan: TablePlan): Promise<void> {
    if (plan.truncate) await this.sql.query(`TRUNCATE TABLE ${qualifiedTableName(plan.table)}`);
    for (const group of groupBySignature(plan.deletes, (c) => c.key)) await this.deleteRows(group);
    for (const group of groupBySignature(plan.writes, (c) => c.columns)) {
      if (this.insertMode === 'update') await this.updateRows(group);
      else await this.insertRows(group);
    }
  }

  private cast(column: string): string {
    const type = this.shape.columns.get(column);
    return type === undefined ? '' : `::${type}`;
  }

  private chunks<T>(items: readonly T[], width: number): T[][] {
    const size = Math.max(1, Math.min(this.batchSize, Math.floor(MAX_PARAMETERS / Math.max(1, width))));
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  }

  /** `($1::t, $2::t), ($3::t, $4::t)` for rows of the given columns, pushing the parameters. */
  private tuples(
    rows: readonly (readonly ColumnValue[])[],
    names: readonly string[],
    params: unknown[],
  ): string {
    return rows
      .map(
        (row) =>
          `(${row
            .map((c, i) => {
              params.push(c.parameter);
              return `$${params.length}${this.cast(names[i]!)}`;
            })
            .join(', ')})`,
      )
      .join(', ');
  }

  private async insertRows(changes: readonly UpsertChange[]): Promise<void> {
    const first = changes[0]!;
    const names = first.columns.map((c) => c.name);
    const keyNames = first.key.map((c) => c.name);
    const target = `${qualifiedTableName(first.table)} (${names.map(quoteIdentifier).join(', ')})`;
    const nonKey = names.filter((n) => !keyNames.includes(n));
    let conflict = '';
    if (this.insertMode === 'upsert' && keyNames.length > 0) {
      const updates = nonKey.map((n) => `${quoteIdentifier(n)} = EXCLUDED.${quoteIdentifier(n)}`);
      conflict = ` ON CONFLICT (${keyNames.map(quoteIdentifier).join(', ')}) ${updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'}`;
    }
    for (const chunk of this.chunks(changes, names.length)) {
      const params: unknown[] = [];
      const values = this.tuples(
        chunk.map((c) => c.columns),
        names,
        params,
      );
      await this.sql.query(`INSERT INTO ${target} VALUES ${values}${conflict}`, params);
    }
  }

  private async updateRows(changes: readonly UpsertChange[]): Promise<void> {
    const first = changes[0]!;
    const names = first.columns.map((c) => c.name);
    const keyNames = first.key.map((c) => c.name);
    const nonKey = names.filter((n) => !keyNames.includes(n));
    if (nonKey.length === 0) return;
    const sets = nonKey.map((n) => `${quoteIdentifier(n)} = v.${quoteIdentifier(n)}`).join(', ');
    const match = keyNames.map((n) => `t.${quoteIdentifier(n)} = v.${quoteIdentifier(n)}`).join(' AND ');
    for (const chunk of this.chunks(changes, names.length)) {
      const params: unknown[] = [];
      const values = this.tuples(
        chunk.map((c) => c.columns),
        names,
        params,
      );
      await this.sql.query(
        `UPDATE ${qualifiedTableName(first.table)} AS t SET ${sets} FROM (VALUES ${values}) AS v (${names.map(quoteIdentifier).join(', ')}) WHERE ${match}`,
        params,
      );
    }
  }

  private async deleteRows(changes: readonly DeleteChange[]): Promise<void> {
    const first = changes[0]!;
    const names = first.key.map((c) => c.name);
    const columns = `(${names.map(quoteIdentifier).join(', ')})`;
    for (const chunk of this.chunks(changes, names.length)) {
      const params: unknown[] = [];
      const keys = this.tuples(
        chunk.map((c) => c.key),
        names,
        params,
      );
      await this.sql.query(
        `DELETE FROM ${qualifiedTableName(first.table)} WHERE ${columns} IN (${keys})`,
        params,
      );
    }
  }
}

/** Rows go into one statement only when they name the same columns in the same order. */
function groupBySignature<C>(changes: readonly C[], columnsOf: (change: C) => readonly ColumnValue[]): C[][] {
  const groups = new Map<string, C[]>();
  for (const change of changes) {
    const signature = columnsOf(change)
      .map((c) => c.name)
      .join('\u0000');
    const group = groups.get(signature);
    if (group === undefined) groups.set(signature, [change]);
    else group.push(change);
  }
  return [...groups.values()];
}
