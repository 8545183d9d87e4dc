import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Header, JsonObject, Logger, SourceOffset } from '../../../runtime/api/index.js';
import { keyParameters, openKeyedTable, type BackfillTable } from '../backfill/table-access.js';
import type { CdcSettings } from './config.js';
import { changeRecords, type Operation } from './events.js';
import { closeClient, connectQueryClient, TEXT_TYPES } from './pg-connect.js';
import type { TupleValue } from './pgoutput-messages.js';
import type { RecordQueue } from './record-queue.js';
import {
  finished,
  isRunning,
  kafkaSignalOffsetFrom,
  NO_SNAPSHOT,
  OffsetKeys,
  stateFromOffset,
  stateOffsetFields,
  type IncrementalState,
} from './incremental-snapshot-state.js';
import {
  dataCollectionsOf,
  insertSignal,
  parseSignal,
  SignalTypes,
  snapshotTypeOf,
  splitCollection,
  type Signal,
} from './signals.js';
import type { Row, TableModel } from './table-model.js';

/** A change the stream reader is about to queue, with the offset (without snapshot fields) it will carry. */
export interface StreamedChange {
  readonly model: TableModel;
  readonly op: Operation;
  readonly before: Row | null;
  readonly after: Row | null;
  readonly offset: SourceOffset;
  readonly txId: number;
  readonly lsn: number;
}

/** What the stream reader calls so that an incremental snapshot sees the stream (window markers, changed keys). */
export interface StreamHook {
  beforeChange(change: StreamedChange): Promise<void>;
  /** Fields every streamed record's offset carries (the snapshot's position). */
  offsetFields(): JsonObject;
}

type TextRow = Record<string, string | null>;

/** The chunk between its open and close markers. */
interface Window {
  readonly id: string;
  readonly collection: string;
  /** Null for a table that cannot be read (gone, no key): its window is empty. */
  readonly table: BackfillTable | null;
  open: boolean;
  /** Keys changed in the stream while the window was open: their chunk rows are stale. */
  readonly changed: Set<string>;
  truncated: boolean;
  /** The chunk, once read (always before the close marker is written). */
  rows: TextRow[] | null;
}

function tupleText(value: TupleValue | undefined): string | null {
  return value?.kind === 'text' ? value.text : null;
}

function keyNamesOf(model: TableModel): string[] {
  return (model.keySchema?.fields ?? []).map((f) => f.name);
}

/**
 * Debezium's incremental snapshot of a running PostgresCdcSource: the chosen tables are read in chunks of
 * `incremental.snapshot.chunk.size` rows in key order, interleaved with streaming. Each chunk is read between
 * an open and a close marker written to the signal table; when the stream reaches the close marker, the
 * chunk's rows are emitted (`op: r`, `source.snapshot: incremental`) except those whose key the stream
 * changed (updated, deleted) after the open marker: the streamed change is newer than the chunk's row, so
 * no stale row overwrites it and a deleted row does not come back. The position goes into every offset, so a
 * restarted task resumes after the last chunk it delivered.
 */
export class IncrementalSnapshot implements StreamHook {
  private state: IncrementalState;
  private window: Window | null = null;
  private client: pg.Client | null = null;
  private reading: Promise<void> | null = null;
  /** Set when the next chunk was asked for while one was being read (its close marker overtook its insert). */
  private readAgain = false;
  /** Counts stops: a chunk being read when its snapshot was stopped must not open a window. */
  private generation = 0;
  private closed = false;
  private readonly tables = new Map<string, BackfillTable>();
  /**
   * The offset of the last Kafka signal handled: it goes into every offset with the state the signal changed,
   * so a restarted task reads the signal topic after it (a signal sent while the task was down is not lost,
   * and one already handled is not handled again).
   */
  private kafkaSignalOffset: number | null;

  constructor(
    private readonly settings: CdcSettings,
    private readonly queue: RecordQueue,
    private readonly headers: readonly Header[],
    private readonly logger: Logger,
    /** Fails the task (a chunk that cannot be read or a marker that cannot be written). */
    private readonly fail: (error: unknown) => void,
    committed: SourceOffset | null,
  ) {
    this.state = stateFromOffset(committed);
    this.kafkaSignalOffset = kafkaSignalOffsetFrom(committed);
  }

  /** Where the Kafka signal channel starts reading partition 0 (null: at its end, nothing handled yet). */
  get kafkaSignalResumeOffset(): number | null {
    return this.kafkaSignalOffset === null ? null : this.kafkaSignalOffset + 1;
  }

  get signalCollection(): string {
    return this.settings.signalDataCollection;
  }

  offsetFields(): JsonObject {
    const fields = stateOffsetFields(this.state);
    if (this.kafkaSignalOffset === null) return fields;
    return { ...fields, [OffsetKeys.KAFKA_SIGNAL_OFFSET]: this.kafkaSignalOffset };
  }

  /** After a restart: goes on with the snapshot the offsets show running. */
  resume(): void {
    if (!isRunning(this.state)) return;
    this.logger.info(
      `Resuming the incremental snapshot of ${this.state.collections.join(', ')} after key ${JSON.stringify(this.state.lastKey)}`,
    );
    this.readNext();
  }

  async beforeChange(change: StreamedChange): Promise<void> {
    const collection = `${change.model.schema}.${change.model.table}`;
    if (collection === this.signalCollection) {
      if (change.op === 'c' && change.after !== null) await this.onSignalRow(change.after, change);
      return;
    }
    const window = this.window;
    if (window === null || !window.open || collection !== window.collection) return;
    if (change.op === 't') {
      window.truncated = true;
      return;
    }
    for (const row of [change.before, change.after]) {
      if (row === null) continue;
      window.changed.add(JSON.stringify(keyNamesOf(change.model).map((k) => tupleText(row.get(k)))));
    }
  }

  /**
   * A signal from the Kafka channel: execute-snapshot and stop-snapshot, as Debezium's channel takes.
   * `kafkaOffset`: its offset in partition 0 of the signal topic, remembered in the offsets.
   */
  signal(signal: Signal, kafkaOffset: number | null = null): void {
    if (signal.type === SignalTypes.EXECUTE_SNAPSHOT) this.execute(signal);
    else if (signal.type === SignalTypes.STOP_SNAPSHOT) this.stop(signal);
    else this.logger.warn(`Kafka signal ${signal.id}: type ${signal.type} is not taken on this channel`);
    if (kafkaOffset !== null) this.kafkaSignalOffset = Math.max(this.kafkaSignalOffset ?? -1, kafkaOffset);
  }

  private async onSignalRow(row: Row, change: StreamedChange): Promise<void> {
    const signal = parseSignal(
      tupleText(row.get('id')) ?? '',
      tupleText(row.get('type')) ?? '',
      tupleText(row.get('data')),
    );
    switch (signal.type) {
      case SignalTypes.EXECUTE_SNAPSHOT:
        return this.execute(signal);
      case SignalTypes.STOP_SNAPSHOT:
        return this.stop(signal);
      case SignalTypes.WINDOW_OPEN:
        if (this.window !== null && signal.id === `${this.window.id}-open`) this.window.open = true;
        return;
      case SignalTypes.WINDOW_CLOSE:
        if (this.window !== null && signal.id === `${this.window.id}-close`) this.closeWindow(change);
        return;
      default:
        this.logger.warn(`Signal ${signal.id}: unknown type ${signal.type}, ignored`);
    }
  }

  private execute(signal: Signal): void {
    if (snapshotTypeOf(signal) !== 'incremental') {
      this.logger.warn(
        `Signal ${signal.id}: ${snapshotTypeOf(signal)} snapshots are not supported; only incremental`,
      );
      return;
    }
    const requested = dataCollectionsOf(signal);
    if (requested.length === 0) {
      this.logger.warn(`Signal ${signal.id}: execute-snapshot names no data-collections, ignored`);
      return;
    }
    const wasRunning = isRunning(this.state);
    const collections = [...this.state.collections];
    for (const c of requested) if (!collections.includes(c)) collections.push(c);
    this.state = {
      ...(wasRunning ? this.state : { ...NO_SNAPSHOT, completed: this.state.completed }),
      collections,
      signalIds: [...(wasRunning ? this.state.signalIds : []), signal.id],
    };
    this.logger.info(`Incremental snapshot (signal ${signal.id}) of ${requested.join(', ')}`);
    if (wasRunning) return;
    this.tables.clear(); // a new snapshot sees the tables as they are now
    this.readNext();
  }

  private stop(signal: Signal): void {
    if (!isRunning(this.state)) return;
    const named = dataCollectionsOf(signal);
    const remaining = named.length === 0 ? [] : this.state.collections.filter((c) => !named.includes(c));
    this.logger.info(
      `Stopping the incremental snapshot of ${named.length === 0 ? 'every table' : named.join(', ')} (signal ${signal.id})`,
    );
    const current = this.state.collections[0];
    if (remaining.length === 0) {
      this.generation++;
      this.window = null;
      this.state = finished(this.state);
      return;
    }
    if (remaining[0] !== current) {
      this.generation++;
      this.window = null;
      this.state = { ...this.state, collections: remaining, lastKey: null, maxKey: null };
      this.readNext();
    } else {
      this.state = { ...this.state, collections: remaining };
    }
  }

  /** The close marker reached the stream: the chunk's rows not changed meanwhile are emitted, in key order. */
  private closeWindow(change: StreamedChange): void {
    const window = this.window;
    if (window === null || window.rows === null) return;
    this.window = null;
    const { table } = window;
    const keyNames = table?.keyNames ?? [];
    const keyText = (row: TextRow): (string | null)[] => keyNames.map((k) => row[k] ?? null);
    const fresh =
      window.truncated || table === null
        ? []
        : window.rows.filter((row) => !window.changed.has(JSON.stringify(keyText(row))));
    const last = window.rows[window.rows.length - 1];
    const tableDone = last === undefined || window.rows.length < this.settings.incrementalChunkSize;
    const before = this.state;
    let after: IncrementalState = {
      ...before,
      lastKey: last === undefined ? before.lastKey : keyText(last),
      rows: before.rows + fresh.length,
      chunks: before.chunks + 1,
    };
    if (tableDone) {
      const collections = before.collections.slice(1);
      after = { ...after, collections, lastKey: null, maxKey: null };
      if (collections.length === 0) after = finished(after);
    }
    this.logger.debug(
      `Incremental snapshot window ${window.id} closed: ${window.rows.length} rows read, ${fresh.length} not changed meanwhile (after ${JSON.stringify(before.lastKey)} up to ${JSON.stringify(before.maxKey)}, chunk ${this.settings.incrementalChunkSize})`,
    );
    const tsUs = Date.now() * 1000;
    fresh.forEach((row, i) => {
      if (table === null) return;
      // Every row but the chunk's last carries its own key, so a restart mid-chunk resumes after it.
      const state =
        i === fresh.length - 1
          ? after
          : { ...before, lastKey: keyText(row), rows: before.rows + i + 1, chunks: before.chunks };
      const tuple = new Map<string, TupleValue>();
      for (const [name, value] of Object.entries(row))
        tuple.set(name, value === null ? { kind: 'null' } : { kind: 'text', text: value });
      const records = changeRecords(
        {
          model: table.model,
          op: 'r',
          before: null,
          after: tuple,
          source: {
            serverName: this.settings.topicPrefix,
            tsUs,
            snapshot: 'incremental',
            db: this.settings.database,
            sequence: null,
            schema: table.model.schema,
            table: table.model.table,
            txId: change.txId,
            lsn: change.lsn,
          },
          offset: { ...change.offset, ...stateOffsetFields(state) },
          transaction: null,
          tombstone: false,
          headers: this.headers,
        },
        this.settings.topicPrefix,
      );
      for (const record of records) this.queue.push({ kind: 'record', record });
    });
    this.state = after;
    if (tableDone)
      this.logger.info(
        `Incremental snapshot of ${window.collection} read (${before.rows + fresh.length} rows so far)${isRunning(after) ? '' : '; snapshot completed'}`,
      );
    this.readNext();
  }

  /** Starts reading the next chunk; while one is being read, once that is done. */
  private readNext(): void {
    if (this.reading !== null) {
      this.readAgain = true;
      return;
    }
    if (this.closed || !isRunning(this.state)) return;
    this.reading = this.readChunk()
      .catch((error: unknown) => {
        if (!this.closed) this.fail(error);
      })
      .finally(() => {
        this.reading = null;
        if (this.readAgain) {
          this.readAgain = false;
          this.readNext();
        }
      });
  }

  private async connection(): Promise<pg.Client> {
    if (this.client === null) {
      const client = await connectQueryClient(
        this.settings,
        `sluice-cdc-${this.settings.slotName}-incremental`,
      );
      client.on('error', (error) => {
        if (!this.closed) this.fail(error);
      });
      this.client = client;
    }
    return this.client;
  }

  /**
   * Opens the window: open marker, the chunk's query, close marker (the stream sees them in that order). A
   * table that is empty, gone or cannot be read by key gets an empty window, so that its end, like every
   * chunk's, reaches the offsets through the stream.
   */
  private async readChunk(): Promise<void> {
    const collection = this.state.collections[0];
    if (collection === undefined || this.closed) return;
    const generation = this.generation;
    const stale = (): boolean => this.closed || generation !== this.generation;
    const client = await this.connection();
    const table = await this.tableOf(client, collection);
    if (stale()) return;
    let empty = table === null;
    if (table !== null && this.state.maxKey === null) {
      const max = await client.query<string[]>({
        // Aliased: ORDER BY a name of the select list would order by the text (999 after 5000).
        text: `SELECT ${table.keyColumns.map((k, i) => `${k}::text AS sluice_k${i}`).join(', ')} FROM ${table.qualifiedName} ORDER BY ${table.keyColumns.map((k) => `${k} DESC`).join(', ')} LIMIT 1`,
        rowMode: 'array',
        types: TEXT_TYPES,
      });
      const maxKey = max.rows[0];
      if (stale()) return;
      if (maxKey === undefined) empty = true;
      else this.state = { ...this.state, maxKey: maxKey.map((v) => (v === null ? null : String(v))) };
    }
    const window: Window = {
      id: randomUUID(),
      collection,
      table,
      open: false,
      changed: new Set(),
      truncated: false,
      rows: null,
    };
    this.window = window;
    const signalTable = this.signalCollection;
    await insertSignal(client, signalTable, `${window.id}-open`, SignalTypes.WINDOW_OPEN, {
      openWindowTimestamp: new Date().toISOString(),
    });
    const rows = empty || table === null ? [] : await this.chunkRows(client, table);
    if (this.window !== window) return; // stopped meanwhile
    window.rows = rows;
    await insertSignal(client, signalTable, `${window.id}-close`, SignalTypes.WINDOW_CLOSE, {
      closeWindowTimestamp: new Date().toISOString(),
    });
  }

  private async chunkRows(client: pg.Client, table: BackfillTable): Promise<TextRow[]> {
    const keys = `(${table.keyColumns.join(', ')})`;
    const width = table.keyColumns.length;
    const values: (string | null)[] = [];
    const conditions: string[] = [];
    if (this.state.lastKey !== null) {
      conditions.push(`${keys} > ${keyParameters(width, 1)}`);
      values.push(...this.state.lastKey);
    }
    if (this.state.maxKey !== null) {
      conditions.push(`${keys} <= ${keyParameters(width, values.length + 1)}`);
      values.push(...this.state.maxKey);
    }
    const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
    const result = await client.query<TextRow>({
      text: `SELECT ${table.columns.join(', ')} FROM ${table.qualifiedName} ${where} ORDER BY ${table.keyColumns.join(', ')} LIMIT ${this.settings.incrementalChunkSize}`,
      values,
      types: TEXT_TYPES,
    });
    return result.rows;
  }

  /** The table's model, or null (logged) when it cannot be snapshotted: gone, not captured, no key. */
  private async tableOf(client: pg.Client, collection: string): Promise<BackfillTable | null> {
    const known = this.tables.get(collection);
    if (known !== undefined) return known;
    const { schema, table } = splitCollection(collection);
    try {
      const opened = await openKeyedTable(client, this.settings, schema, table, 'snapshot');
      this.tables.set(collection, opened);
      return opened;
    } catch (error) {
      this.logger.warn(`Incremental snapshot: skipping ${collection}: ${(error as Error).message}`);
      return null;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.window = null;
    await this.reading;
    const client = this.client;
    this.client = null;
    if (client !== null) await closeClient(client);
  }
}
