import {
  consumedPartitionKey,
  type SinkRecord,
  type TopicPartitionOffset,
} from '../../../runtime/api/index.js';
import { planBatch, planSingle, type TablePlan } from './batch-plan.js';
import type { Change } from './change-event.js';
import type { PostgresSinkSettings } from './config.js';
import { tableKey } from './identifiers.js';
import type { OffsetLedger } from './offset-ledger.js';
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
 *
 * The same transaction stores the next consumed offset of each partition in the offset ledger, and skips
 * the changes of records at offsets the ledger already holds: a redelivered record is never applied twice.
 */
export class BatchApplier {
  constructor(
    private readonly settings: PostgresSinkSettings,
    private readonly catalog: TableCatalog,
    private readonly ledger: OffsetLedger,
  ) {}

  /** `ends`: the next offset of every partition the put's records came from (whether or not they made a change). */
  async apply(
    sql: SqlRunner,
    changes: readonly Change[],
    ends: readonly TopicPartitionOffset[],
    onRejected: RejectedRecordHandler,
  ): Promise<void> {
    if (ends.length === 0) return;
    await this.ledger.ensureTable(sql);
    const shapes = await this.prepareTables(sql, planBatch(changes, this.settings.insertMode));
    await sql.query('BEGIN');
    try {
      const fresh = await this.notYetApplied(sql, changes, ends);
      for (const plan of planBatch(fresh, this.settings.insertMode))
        await this.writer(sql, shapes, plan)?.apply(plan);
      await this.ledger.save(sql, ends);
      await sql.query('COMMIT');
      return;
    } catch (error) {
      await sql.query('ROLLBACK').catch(() => undefined);
      if (!isRecordProblem(error)) throw error;
    }
    await this.applyOneByOne(sql, changes, ends, shapes, onRejected);
  }

  /** Locks the partitions' ledger rows for this transaction and drops changes of records already applied. */
  private async notYetApplied(
    sql: SqlRunner,
    changes: readonly Change[],
    ends: readonly TopicPartitionOffset[],
  ): Promise<readonly Change[]> {
    const stored = await this.ledger.lock(sql, ends);
    if (stored.size === 0) return changes;
    return changes.filter(
      (c) => c.record.originalKafkaOffset >= (stored.get(consumedPartitionKey(c.record)) ?? 0),
    );
  }

  private async applyOneByOne(
    sql: SqlRunner,
    changes: readonly Change[],
    ends: readonly TopicPartitionOffset[],
    shapes: ReadonlyMap<string, TableShape>,
    onRejected: RejectedRecordHandler,
  ): Promise<void> {
    await sql.query('BEGIN');
    try {
      for (const change of await this.notYetApplied(sql, changes, ends)) {
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
      await this.ledger.save(sql, ends);
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
