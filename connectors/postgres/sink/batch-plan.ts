import type { Change, DeleteChange, UpsertChange } from './change-event.js';
import type { InsertMode } from './config.js';
import { tableKey, type TableId } from './identifiers.js';

/**
 * What one table needs, in the order it is executed: TRUNCATE, then DELETEs, then writes. After reducing
 * every key to its last change the deleted and written keys are disjoint, so that order gives the same
 * final table as applying the changes one by one.
 */
export interface TablePlan {
  readonly table: TableId;
  truncate: boolean;
  readonly deletes: DeleteChange[];
  readonly writes: UpsertChange[];
}

function keyIdentity(change: UpsertChange | DeleteChange): string {
  return JSON.stringify(change.key.map((c) => c.parameter));
}

/**
 * Reduces a batch to its effect per table: a TRUNCATE forgets the earlier changes of its table, and several
 * changes to one key keep only the last. Records without a key (primary.key.mode=none) are all written.
 */
export function planBatch(changes: readonly Change[], insertMode: InsertMode): TablePlan[] {
  const plans = new Map<
    string,
    { plan: TablePlan; byKey: Map<string, Change>; unkeyed: UpsertChange[]; deletedEarlier: Set<string> }
  >();
  for (const change of changes) {
    const id = tableKey(change.table);
    let entry = plans.get(id);
    if (entry === undefined) {
      entry = {
        plan: { table: change.table, truncate: false, deletes: [], writes: [] },
        byKey: new Map(),
        unkeyed: [],
        deletedEarlier: new Set(),
      };
      plans.set(id, entry);
    }
    if (change.kind === 'truncate') {
      entry.plan.truncate = true;
      entry.byKey.clear();
      entry.unkeyed = [];
      entry.deletedEarlier.clear();
      continue;
    }
    if (change.key.length === 0) {
      if (change.kind === 'upsert') entry.unkeyed.push(change);
      continue;
    }
    const identity = keyIdentity(change);
    if (change.kind === 'delete') entry.deletedEarlier.add(identity);
    // Re-inserting moves the key to the end, so writes keep the order of their last change.
    entry.byKey.delete(identity);
    entry.byKey.set(identity, change);
  }
  return [...plans.values()].map(({ plan, byKey, unkeyed, deletedEarlier }) => {
    for (const [identity, change] of byKey) {
      if (change.kind === 'delete') plan.deletes.push(change);
      else if (change.kind === 'upsert') {
        plan.writes.push(change);
        // A plain INSERT of a key deleted earlier in the batch must see that delete first.
        if (insertMode === 'insert' && deletedEarlier.has(identity))
          plan.deletes.push({ kind: 'delete', record: change.record, table: change.table, key: change.key });
      }
    }
    plan.writes.push(...unkeyed);
    return plan;
  });
}

/** Each change on its own, in record order: used to find the records a failed batch cannot apply. */
export function planSingle(change: Change): TablePlan {
  return {
    table: change.table,
    truncate: change.kind === 'truncate',
    deletes: change.kind === 'delete' ? [change] : [],
    writes: change.kind === 'upsert' ? [change] : [],
  };
}
