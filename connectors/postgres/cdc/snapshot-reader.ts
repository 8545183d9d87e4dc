import type pg from 'pg';
import type { Header, Logger, SourceOffset, SourceRecord } from '../../../runtime/api/index.js';
import { loadTableDefinition, qualifiedName, quoteIdent, type TableRef } from './catalog.js';
import type { CdcSettings } from './config.js';
import type { DebeziumMetrics } from './debezium-metrics.js';
import { changeRecords } from './events.js';
import { lsnToNumber, type Lsn } from './lsn.js';
import type { ModelCache } from './model-cache.js';
import { TEXT_TYPES } from './pg-connect.js';
import type { TupleValue } from './pgoutput-messages.js';
import type { RecordQueue } from './record-queue.js';
import { SnapshotProgress } from './snapshot-progress.js';
import { sequenceOf, snapshotMarkerOf, type SnapshotMarker } from './source-info.js';
import type { Row, TableModel } from './table-model.js';

/** A snapshot row not queued yet, and where it stands in its table. */
interface PendingRow {
  readonly model: TableModel;
  readonly row: Row;
  readonly inFirstTable: boolean;
  readonly firstInTable: boolean;
  lastInTable: boolean;
}

/**
 * Reads every captured table inside one REPEATABLE READ transaction that sees exactly the slot's exported
 * snapshot, and queues `op: "r"` records marked as Debezium marks them (source-info.ts's snapshotMarkerOf).
 * One row is held back, so that whether it ends its table or the snapshot is known when it is queued.
 */
export class SnapshotReader {
  private pending: PendingRow | null = null;
  private txId = 0;
  private readonly startedUsec = Date.now() * 1000;

  constructor(
    private readonly client: pg.Client,
    private readonly settings: CdcSettings,
    private readonly models: ModelCache,
    private readonly queue: RecordQueue,
    private readonly consistentPoint: Lsn,
    private readonly isStopped: () => boolean,
    /** contextHeaders() when extended.headers.enabled, else none. */
    private readonly headers: readonly Header[],
    private readonly logger?: Logger,
    private readonly metrics?: DebeziumMetrics,
  ) {}

  /** Opens the snapshot transaction; with an exported snapshot name it sees the data exactly at the slot's consistent point. */
  async begin(snapshotName: string | null): Promise<void> {
    await this.client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    if (snapshotName !== null)
      await this.client.query(`SET TRANSACTION SNAPSHOT '${snapshotName.replaceAll("'", "''")}'`);
    const xmin = await this.client.query<{ xmin: string }>(
      'SELECT txid_snapshot_xmin(txid_current_snapshot())::text AS xmin',
    );
    this.txId = Number(xmin.rows[0]?.xmin ?? 0);
  }

  async readTables(tables: readonly TableRef[]): Promise<void> {
    const progress = new SnapshotProgress(this.logger, tables.length);
    this.metrics?.snapshotStarted(tables.length);
    for (const [index, table] of tables.entries()) {
      if (this.isStopped()) {
        this.metrics?.snapshotEnded(false);
        return;
      }
      const definition = await loadTableDefinition(this.client, table.relationId);
      if (definition === null) {
        this.metrics?.tableDone();
        continue;
      }
      const model = await this.models.forTable(definition);
      const name = `${model.schema}.${model.table}`;
      progress.startTable(name, index, await this.estimatedRows(table.relationId));
      this.metrics?.tableStarted(name);
      await this.readTable(model, index === 0, progress);
      progress.endTable();
      if (!this.isStopped()) this.metrics?.tableDone();
    }
    this.metrics?.snapshotEnded(!this.isStopped());
    if (this.pending !== null && !this.isStopped()) {
      this.pushPending(true);
      this.pending = null;
    }
    await this.client.query('COMMIT');
  }

  private pushPending(lastInSnapshot: boolean): void {
    const p = this.pending!;
    this.push(p.model, p.row, snapshotMarkerOf({ ...p, lastInSnapshot }));
  }

  /** The planner's row estimate (-1 when the table was never analyzed): good enough for progress lines. */
  private async estimatedRows(relationId: number): Promise<number> {
    const result = await this.client.query<{ n: string }>(
      'SELECT reltuples::bigint::text AS n FROM pg_class WHERE oid = $1',
      [relationId],
    );
    return Number(result.rows[0]?.n ?? -1);
  }

  private async readTable(
    model: TableModel,
    inFirstTable: boolean,
    progress: SnapshotProgress,
  ): Promise<void> {
    const columns = model.definition.columns.map((c) => quoteIdent(c.name)).join(', ');
    const cursor = `sluice_snapshot_${model.definition.relationId}`;
    let rows = 0;
    await this.client.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns} FROM ${qualifiedName(model.schema, model.table)}`,
    );
    for (;;) {
      // Wait while the queue is full (a paused task polls nothing): the snapshot reads no further ahead than it.
      while (this.queue.isFull && !this.isStopped()) await this.queue.waitForSpace();
      if (this.isStopped()) return;
      const batch = await this.client.query<Record<string, string | null>>({
        text: `FETCH ${this.settings.snapshotFetchSize} FROM ${cursor}`,
        types: TEXT_TYPES,
      });
      for (const raw of batch.rows) {
        const row = new Map<string, TupleValue>();
        for (const [name, value] of Object.entries(raw))
          row.set(name, value === null ? { kind: 'null' } : { kind: 'text', text: value });
        if (this.pending !== null) this.pushPending(false);
        this.pending = { model, row, inFirstTable, firstInTable: rows++ === 0, lastInTable: false };
      }
      progress.rowsRead(batch.rows.length);
      this.metrics?.rowsRead(`${model.schema}.${model.table}`, batch.rows.length);
      if (batch.rows.length < this.settings.snapshotFetchSize) break;
    }
    if (rows > 0) this.pending!.lastInTable = true;
    await this.client.query(`CLOSE ${cursor}`);
  }

  private push(model: TableModel, row: Row, marker: SnapshotMarker): void {
    const offset: SourceOffset = {
      lsn: lsnToNumber(this.consistentPoint),
      txId: this.txId,
      ts_usec: this.startedUsec,
      snapshot: true,
      last_snapshot_record: marker === 'last',
    };
    const records: SourceRecord[] = changeRecords(
      {
        model,
        op: 'r',
        before: null,
        after: row,
        source: {
          serverName: this.settings.topicPrefix,
          tsUs: this.startedUsec,
          snapshot: marker,
          db: this.settings.database,
          sequence: sequenceOf(null, lsnToNumber(this.consistentPoint)),
          schema: model.schema,
          table: model.table,
          txId: this.txId,
          lsn: lsnToNumber(this.consistentPoint),
        },
        offset,
        transaction: null,
        tombstone: false,
        headers: this.headers,
      },
      this.settings.topicPrefix,
    );
    for (const record of records) this.queue.push({ kind: 'record', record });
  }
}
