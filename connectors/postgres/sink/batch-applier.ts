import type { SinkRecord } from '../../../runtime/api/index.js';
import { planBatch, planSingle, type TablePlan } from './batch-plan.js';
import type { Change } from './change-event.js';
import type { PostgresSinkSettings } from './config.js';
import { tableKey } from './identifiers.js';
import { isRecordProblem } from './pg-errors.js';
import { columnNeeds, type SqlRunner, type TableCatalog, type TableShape } from './table-catalog.js';
import { TableWriter } from './table-writer.js';

/** Called for a record the database refused; resolves when the record is safely reported, rejects to abort. */
export type RejectedRecordHandler = (record: SinkRecord, error: Error) => Promise<void>;

function originOf(record: SinkRecord): string {
  return `${record.topic}-${record.kafkaPartition}@${record.kafkaOffset}`;
}

/**
 * Applies changes in ONE transaction: the reduced batch first; when the database rejects a row (a constraint
 * or data error), the transaction is rolled back and the changes are applied again one by one, each under a
 * savepoint, so the rejected records are reported and every other record is still written.
 */
export class BatchApplier {
  constructor(
    private readonly settings: PostgresSinkSettings,
    private readonly catalog: TableCatalog,
  ) {}

  async apply(sql: SqlRunner, changes: readonly Change[], onRejected: RejectedRecordHandler): Promise<void> {
    if (changes.length === 0) return;
    const plans = planBatch(changes, this.settings.insertMode);
    const shapes = await this.prepareTables(sql, plans);
    await sql.query('BEGIN');
    try {
      for (const plan of plans) await this.writer(sql, shapes, plan)?.apply(plan);
      await sql.query('COMMIT');
      return;
    } catch (error) {
      await sql.query('ROLLBACK').catch(() => undefined);
      if (!isRecordProblem(error)) throw error;
    }
    await this.applyOneByOne(sql, changes, shapes, onRejected);
  }

  private async applyOneByOne(
    sql: SqlRunner,
    changes: readonly Change[],
    shapes: ReadonlyMap<string, TableShape>,
    onRejected: RejectedRecordHandler,
  ): Promise<void> {
    await sql.query('BEGIN');
    try {
      for (const change of changes) {
        const plan = planSingle(change);
        await sql.query('SAVEPOINT sluice_record');
        try {
          await this.writer(sql, shapes, plan)?.apply(plan);
          await sql.query('RELEASE SAVEPOINT sluice_record');
        } catch (error) {
          if (!isRecordProblem(error)) throw error;
          await sql.query('ROLLBACK TO SAVEPOINT sluice_record');
          await onRejected(change.record, error as Error);
        }
      }
      await sql.query('COMMIT');
    } catch (error) {
      await sql.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  /** Null for a table that does not exist and gets no rows (see TableCatalog.ensure). */
  private writer(
    sql: SqlRunner,
    shapes: ReadonlyMap<string, TableShape>,
    plan: TablePlan,
  ): TableWriter | null {
    const shape = shapes.get(tableKey(plan.table));
    return shape === undefined
      ? null
      : new TableWriter(sql, shape, this.settings.insertMode, this.settings.batchSize);
  }

  /** Every table exists with every column the batch writes (schema.evolution decides whether the sink may fix that). */
  private async prepareTables(sql: SqlRunner, plans: readonly TablePlan[]): Promise<Map<string, TableShape>> {
    const shapes = new Map<string, TableShape>();
    for (const plan of plans) {
      const columns = [
        ...plan.writes.flatMap((w) => {
          const keys = new Set(w.key.map((k) => k.name));
          return w.columns.map((column) => ({
            column,
            key: keys.has(column.name),
            origin: originOf(w.record),
          }));
        }),
        ...plan.deletes.flatMap((d) =>
          d.key.map((column) => ({ column, key: true, origin: originOf(d.record) })),
        ),
      ];
      const shape = await this.catalog.ensure(sql, plan.table, columnNeeds(columns), plan.writes.length > 0);
      if (shape !== null) shapes.set(tableKey(plan.table), shape);
    }
    return shapes;
  }
}
