import type { Header, SourceOffset } from '../../../runtime/api/index.js';
import type { CdcSettings } from './config.js';
import type { DebeziumMetrics } from './debezium-metrics.js';
import type { StreamHook } from './incremental-snapshot.js';
import {
  changeRecords,
  keyChangeHeader,
  transactionRecord,
  type Operation,
  type TransactionBlock,
} from './events.js';
import { lsnToNumber, type Lsn } from './lsn.js';
import type { PgOutputMessage, RelationMessage, TupleValue } from './pgoutput-messages.js';
import type { RecordQueue } from './record-queue.js';
import { pgMicrosToUnixMicros } from './replication-frames.js';
import { sequenceOf } from './source-info.js';
import type { Row, TableModel } from './table-model.js';

/** Where a restarted task left off: events at or before it were already delivered (they may repeat, never vanish). */
export interface ResumePoint {
  /** commit LSN (Begin.finalLsn) of the transaction of the last delivered event */
  readonly commitLsn: Lsn;
  /** LSN of the last delivered event */
  readonly eventLsn: Lsn;
}

const MAX_LSN: Lsn = 0xffffffffffffffffn;

/** Table models as the stream's Relation messages define them (ModelCache). */
export interface RelationModels {
  onRelation(message: RelationMessage): Promise<void>;
  model(relationId: number): TableModel | null | undefined;
  columnsOf(relationId: number): readonly string[];
}

interface OpenTransaction {
  readonly xid: number;
  readonly finalLsn: Lsn;
  readonly commitTimeMicros: bigint;
  skipUpTo: Lsn | null;
  eventCount: number;
  readonly perTable: Map<string, number>;
  beginSent: boolean;
}

/** The last fully read transaction: where a heartbeat says the stream is. */
export interface StreamPosition {
  readonly commitLsn: Lsn;
  readonly endLsn: Lsn;
  readonly xid: number;
  readonly commitTimeMicros: bigint;
}

/** Turns decoded pgoutput messages into Debezium change records and commit markers, in stream order. */
export class StreamReader {
  private tx: OpenTransaction | null = null;
  /** A transaction the lost connection was in the middle of; the server sends it again from its Begin. */
  private interrupted: OpenTransaction | null = null;
  private lastCommitLsn: Lsn | null = null;
  private position: StreamPosition | null = null;
  /** Everything at or before this point was handled (queued or deliberately skipped): not again. */
  private handled: ResumePoint | null;
  private queuedEvents = 0;

  constructor(
    private readonly settings: CdcSettings,
    private models: RelationModels,
    private readonly queue: RecordQueue,
    resume: ResumePoint | null,
    /** contextHeaders() when extended.headers.enabled, else none. */
    private readonly headers: readonly Header[],
    private readonly metrics?: DebeziumMetrics,
    /** The incremental snapshot, which must see every change (signals, window markers) before it is queued. */
    private readonly hook: StreamHook | null = null,
  ) {
    this.handled = resume;
  }

  /**
   * A new replication connection replays from the slot's confirmed position, which is at or before what this
   * reader already handled: that part is skipped, so every event is queued once. A transaction cut off by the
   * loss continues where it stopped (same BEGIN record, counters and order). Relation messages come again on
   * the new connection, hence the fresh models.
   */
  reconnected(models: RelationModels): void {
    this.models = models;
    if (this.tx !== null) this.interrupted = this.tx;
    this.tx = null;
  }

  get lastPosition(): StreamPosition | null {
    return this.position;
  }

  get inTransaction(): boolean {
    return this.tx !== null;
  }

  /** How many change events were queued so far (replayed ones that were skipped do not count). */
  get changeEvents(): number {
    return this.queuedEvents;
  }

  async handle(message: PgOutputMessage, lsn: Lsn): Promise<void> {
    switch (message.tag) {
      case 'begin': {
        const interrupted = this.interrupted;
        // Transactions replayed before the interrupted one are skipped whole; from it on, the replay is over.
        if (interrupted !== null && message.finalLsn >= interrupted.finalLsn) this.interrupted = null;
        if (interrupted !== null && interrupted.finalLsn === message.finalLsn) {
          interrupted.skipUpTo = this.skipLimit(message.finalLsn);
          this.tx = interrupted;
          return;
        }
        this.tx = {
          xid: message.xid,
          finalLsn: message.finalLsn,
          commitTimeMicros: pgMicrosToUnixMicros(message.commitTimeMicros),
          skipUpTo: this.skipLimit(message.finalLsn),
          eventCount: 0,
          perTable: new Map(),
          beginSent: false,
        };
        return;
      }
      case 'commit':
        return this.onCommit(message.commitLsn, message.endLsn);
      case 'relation':
        return this.models.onRelation(message);
      case 'insert':
        await this.emit(message.relationId, 'c', null, this.row(message.relationId, message.newTuple), lsn);
        return this.markHandled(lsn);
      case 'update':
        await this.onUpdate(message.relationId, message.oldKind, message.oldTuple, message.newTuple, lsn);
        return this.markHandled(lsn);
      case 'delete':
        await this.emit(message.relationId, 'd', this.row(message.relationId, message.oldTuple), null, lsn);
        return this.markHandled(lsn);
      case 'truncate':
        for (const relationId of message.relationIds) await this.emit(relationId, 't', null, null, lsn);
        return this.markHandled(lsn);
      case 'origin':
      case 'type':
      case 'message':
        // Types are read from pg_type; logical decoding messages are decoded but not emitted.
        return;
    }
  }

  /** Resuming inside (or before) the transaction of the last handled event: skip what was handled. */
  private skipLimit(finalLsn: Lsn): Lsn | null {
    if (this.handled === null) return null;
    if (finalLsn < this.handled.commitLsn) return MAX_LSN;
    if (finalLsn === this.handled.commitLsn) return this.handled.eventLsn;
    return null;
  }

  /** Advances the handled point (never backwards: replayed, skipped events lie before it). */
  private markHandled(eventLsn: Lsn, commitLsn: Lsn | null = this.tx?.finalLsn ?? null): void {
    if (commitLsn === null) return;
    const current = this.handled;
    if (
      current === null ||
      commitLsn > current.commitLsn ||
      (commitLsn === current.commitLsn && eventLsn > current.eventLsn)
    )
      this.handled = { commitLsn, eventLsn };
  }

  private row(relationId: number, tuple: readonly TupleValue[]): Row {
    const names = this.models.columnsOf(relationId);
    const row = new Map<string, TupleValue>();
    tuple.forEach((value, i) => {
      const name = names[i];
      if (name !== undefined) row.set(name, value);
    });
    return row;
  }

  private async onUpdate(
    relationId: number,
    oldKind: 'K' | 'O' | null,
    oldTuple: readonly TupleValue[] | null,
    newTuple: readonly TupleValue[],
    lsn: Lsn,
  ): Promise<void> {
    const after = this.row(relationId, newTuple);
    const before = oldTuple === null ? null : this.row(relationId, oldTuple);
    const model = this.models.model(relationId);
    if (before !== null && model && keyChanged(model, before, after)) {
      // Debezium turns a primary key change into a delete (+ tombstone) of the old key and a create of the new
      // one, each naming the other key in a header.
      await this.emit(relationId, 'd', before, null, lsn, keyChangeHeader(model, 'newkey', after));
      await this.emit(relationId, 'c', null, after, lsn, keyChangeHeader(model, 'oldkey', before));
      return;
    }
    await this.emit(relationId, 'u', oldKind === 'O' ? before : null, after, lsn);
  }

  private async emit(
    relationId: number,
    op: Operation,
    before: Row | null,
    after: Row | null,
    lsn: Lsn,
    keyHeader?: Header,
  ): Promise<void> {
    const model = this.models.model(relationId);
    const tx = this.tx;
    if (!model || tx === null) return;
    if (tx.skipUpTo !== null && lsn <= tx.skipUpTo) return;
    if (this.settings.skippedOperations.has(op)) {
      this.metrics?.eventFiltered();
      return;
    }
    if (this.hook !== null)
      await this.hook.beforeChange({
        model,
        op,
        before,
        after,
        offset: this.offsetFor(tx, lsn),
        txId: tx.xid,
        lsn: lsnToNumber(lsn),
      });
    const offset = this.offsetFor(tx, lsn);
    const txId = `${tx.xid}:${lsnToNumber(tx.finalLsn)}`;
    let block: TransactionBlock | null = null;
    if (this.settings.provideTransactionMetadata) {
      if (!tx.beginSent) {
        tx.beginSent = true;
        this.queue.push({
          kind: 'record',
          record: transactionRecord(
            this.settings.topicPrefix,
            'BEGIN',
            txId,
            this.commitMs(tx),
            offset,
            null,
          ),
        });
      }
      const collection = `${model.schema}.${model.table}`;
      const perTable = (tx.perTable.get(collection) ?? 0) + 1;
      tx.perTable.set(collection, perTable);
      block = { id: txId, totalOrder: tx.eventCount + 1, dataCollectionOrder: perTable };
    }
    tx.eventCount++;
    this.queuedEvents++;
    this.metrics?.eventSeen(op, this.commitMs(tx));
    const records = changeRecords(
      {
        model,
        op,
        before: op === 't' ? null : before,
        after,
        source: {
          serverName: this.settings.topicPrefix,
          tsUs: Number(tx.commitTimeMicros),
          snapshot: 'false',
          db: this.settings.database,
          sequence: sequenceOf(
            this.lastCommitLsn === null ? null : lsnToNumber(this.lastCommitLsn),
            lsnToNumber(lsn),
          ),
          schema: model.schema,
          table: model.table,
          txId: tx.xid,
          lsn: lsnToNumber(lsn),
        },
        offset,
        transaction: block,
        tombstone: this.settings.tombstonesOnDelete,
        headers: keyHeader === undefined ? this.headers : [keyHeader, ...this.headers],
      },
      this.settings.topicPrefix,
    );
    if (op === 't') {
      for (const r of records)
        this.queue.push({ kind: 'record', record: { ...r, key: null, keySchema: null } });
      return;
    }
    for (const record of records) this.queue.push({ kind: 'record', record });
  }

  private commitMs(tx: OpenTransaction): number {
    return Number(tx.commitTimeMicros / 1000n);
  }

  /** The position of an event, with the incremental snapshot's (which every offset must carry on). */
  private offsetFor(tx: OpenTransaction, lsn: Lsn): SourceOffset {
    return {
      lsn: lsnToNumber(lsn),
      txId: tx.xid,
      ts_usec: Number(tx.commitTimeMicros),
      lsn_proc: lsnToNumber(lsn),
      lsn_commit: lsnToNumber(tx.finalLsn),
      ...this.hook?.offsetFields(),
    };
  }

  private onCommit(commitLsn: Lsn, endLsn: Lsn): void {
    const tx = this.tx;
    this.tx = null;
    if (tx !== null && tx.beginSent) {
      const txId = `${tx.xid}:${lsnToNumber(tx.finalLsn)}`;
      const offset = { ...this.offsetFor(tx, endLsn), lsn_commit: lsnToNumber(tx.finalLsn) };
      this.queue.push({
        kind: 'record',
        record: transactionRecord(
          this.settings.topicPrefix,
          'END',
          txId,
          this.commitMs(tx),
          offset,
          tx.perTable,
        ),
      });
    }
    // A transaction replayed after a reconnect lies before the position already reached: keep that one.
    if (this.position === null || endLsn > this.position.endLsn) {
      if (tx !== null) this.metrics?.transactionCommitted();
      this.lastCommitLsn = commitLsn;
      this.position = { commitLsn, endLsn, xid: tx?.xid ?? 0, commitTimeMicros: tx?.commitTimeMicros ?? 0n };
    }
    this.queue.push({ kind: 'commit', endLsn });
    this.markHandled(MAX_LSN, tx?.finalLsn ?? commitLsn);
  }
}

function keyChanged(model: TableModel, before: Row, after: Row): boolean {
  if (model.keySchema === null) return false;
  for (const field of model.keySchema.fields ?? []) {
    const a = before.get(field.name);
    const b = after.get(field.name);
    if (a?.kind === 'text' && b?.kind === 'text' && a.text !== b.text) return true;
  }
  return false;
}
