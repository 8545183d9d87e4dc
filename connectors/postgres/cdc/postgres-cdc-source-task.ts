import type pg from 'pg';
import {
  SluiceError,
  type ConnectorConfig,
  type Logger,
  type RecordMetadata,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../../runtime/api/index.js';
import { cdcSettings, type CdcSettings } from './config.js';
import { heartbeatRecord, sourcePartition } from './events.js';
import { CaptureFilters } from './filters.js';
import { FlushTracker } from './flush-tracker.js';
import { formatLsn, lsnToNumber, ZERO_LSN, type Lsn } from './lsn.js';
import { ModelCache } from './model-cache.js';
import { needsSnapshot, storedState } from './offsets.js';
import { connectQueryClient } from './pg-connect.js';
import { decodePgOutput } from './pgoutput-decoder.js';
import { capturedTables, checkServerReady, dropSlot, ensurePublication, slotState } from './preflight.js';
import { PgTypeRegistry } from './pg-types.js';
import { RecordQueue } from './record-queue.js';
import { ReplicationConnection } from './replication-connection.js';
import type { ServerFrame } from './replication-frames.js';
import { SnapshotReader } from './snapshot-reader.js';
import { StreamReader } from './stream-reader.js';
import { parseKeyColumns } from './table-model.js';

const POLL_WAIT_MS = 500;

/**
 * One Postgres CDC task: optional snapshot, then the pgoutput stream of the slot. Records flow through a
 * bounded queue to poll(); the slot is confirmed only up to transactions whose records were committed.
 */
export class PostgresCdcSourceTask implements SourceTask {
  private settings: CdcSettings | null = null;
  private logger: Logger | null = null;
  private queue: RecordQueue = new RecordQueue(1);
  private flush = new FlushTracker(ZERO_LSN);
  private queryClient: pg.Client | null = null;
  private snapshotClient: pg.Client | null = null;
  private replication: ReplicationConnection | null = null;
  private stream: StreamReader | null = null;
  private stopped = false;
  private failure: unknown = null;
  private paused = false;
  private lastReceived: Lsn = ZERO_LSN;
  private statusTimer: NodeJS.Timeout | null = null;
  private lastHeartbeat = Date.now();
  private heartbeatPosition: Lsn | null = null;
  private inbox: { frame: ServerFrame }[] = [];
  private draining = false;

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    const settings = cdcSettings(config);
    this.settings = settings;
    this.logger = context.logger;
    this.stopped = false;
    this.queue = new RecordQueue(settings.maxQueueSize);
    const filters = new CaptureFilters(settings);
    const query = await connectQueryClient(settings, `sluice-cdc-${settings.slotName}-meta`);
    query.on('error', (error) => this.fail(error));
    this.queryClient = query;
    await checkServerReady(query, settings.user);
    await ensurePublication(query, settings, filters);

    const state = storedState(
      await context.offsetStorageReader.offset(sourcePartition(settings.topicPrefix)),
    );
    let slot = await slotState(query, settings.slotName);
    if (slot?.activePid !== null && slot !== null) slot = await this.waitForSlotRelease(query, settings);
    const snapshot = needsSnapshot(settings.snapshotMode, state, slot !== null);

    const replication = new ReplicationConnection(settings);
    this.replication = replication;
    try {
      await replication.connect();
    } catch (error) {
      throw replicationConnectError(error, settings);
    }
    let snapshotName: string | null = null;
    let startPoint: Lsn = slot?.confirmedFlush ?? ZERO_LSN;
    if (slot !== null && snapshot && state.kind !== 'streaming' && settings.snapshotMode !== 'always') {
      // A snapshot that never completed: recreate the slot so the new snapshot and the stream meet exactly.
      context.logger.info(
        `Snapshot of ${settings.topicPrefix} did not complete before; recreating slot ${settings.slotName}`,
      );
      await dropSlot(query, settings.slotName);
      slot = null;
    }
    if (slot === null) {
      if (state.kind === 'streaming' && !snapshot) {
        context.logger.warn(
          `Slot ${settings.slotName} is gone; changes made since the last committed offset may be missing. Use snapshot.mode=when_needed to re-snapshot in that case.`,
        );
      }
      const created = await replication.createSlot(settings.slotName, snapshot);
      snapshotName = created.snapshotName;
      startPoint = created.consistentPoint;
      context.logger.info(
        `Created replication slot ${settings.slotName} at ${formatLsn(created.consistentPoint)}`,
      );
    }
    this.flush = new FlushTracker(startPoint);

    const types = new PgTypeRegistry(query);
    const models = new ModelCache(query, types, filters, {
      topicPrefix: settings.topicPrefix,
      filters,
      keyColumns: parseKeyColumns(settings.messageKeyColumns),
      decimalMode: settings.decimalMode,
      timePrecisionMode: settings.timePrecisionMode,
    });
    const resume = state.kind === 'streaming' && !snapshot ? state.resume : null;
    this.stream = new StreamReader(settings, models, this.queue, resume);

    let reader: SnapshotReader | null = null;
    if (snapshot) {
      const snapshotClient = await connectQueryClient(settings, `sluice-cdc-${settings.slotName}-snapshot`);
      snapshotClient.on('error', (error) => this.fail(error));
      this.snapshotClient = snapshotClient;
      const snapshotTypes = new PgTypeRegistry(snapshotClient);
      const snapshotModels = new ModelCache(snapshotClient, snapshotTypes, filters, {
        topicPrefix: settings.topicPrefix,
        filters,
        keyColumns: parseKeyColumns(settings.messageKeyColumns),
        decimalMode: settings.decimalMode,
        timePrecisionMode: settings.timePrecisionMode,
      });
      reader = new SnapshotReader(
        snapshotClient,
        settings,
        snapshotModels,
        this.queue,
        startPoint,
        () => this.stopped,
      );
      // Must happen before the next command on the replication connection, which ends the exported snapshot.
      await reader.begin(snapshotName);
    }
    const tables = await capturedTables(query, settings, filters);
    for (const t of tables) {
      const replica = await query.query<{ relreplident: string }>(
        'SELECT relreplident FROM pg_class WHERE oid = $1',
        [t.relationId],
      );
      const pk = await query.query('SELECT 1 FROM pg_index WHERE indrelid = $1 AND indisprimary', [
        t.relationId,
      ]);
      if (pk.rowCount === 0)
        context.logger.warn(`Table ${t.schema}.${t.table} has no primary key: its events have a null key`);
      if (replica.rows[0]?.relreplident === 'n')
        context.logger.warn(
          `Table ${t.schema}.${t.table} has REPLICA IDENTITY NOTHING: updates and deletes cannot be captured`,
        );
    }
    void this.run(reader, tables, settings);
  }

  private async run(
    reader: SnapshotReader | null,
    tables: Parameters<SnapshotReader['readTables']>[0],
    settings: CdcSettings,
  ): Promise<void> {
    try {
      if (reader !== null) {
        this.logger?.info(`Snapshotting ${tables.length} table(s) of ${settings.topicPrefix}`);
        await reader.readTables(tables);
        await this.snapshotClient?.end().catch(() => undefined);
        this.snapshotClient = null;
        this.logger?.info('Snapshot completed');
        if (settings.snapshotMode === 'initial_only') return;
      }
      if (this.stopped) return;
      await this.startStreaming(settings);
    } catch (error) {
      this.fail(error);
    }
  }

  private async startStreaming(settings: CdcSettings): Promise<void> {
    const replication = this.replication;
    if (replication === null) return;
    this.statusTimer = setInterval(() => this.sendStatus(false), settings.statusUpdateIntervalMs);
    this.logger?.info(
      `Streaming from slot ${settings.slotName} (confirmed ${formatLsn(this.flush.confirmed)})`,
    );
    // 0/0: the server starts at the slot's confirmed_flush_lsn; the stream reader skips what offsets show as delivered.
    const ended = replication.start(settings.slotName, settings.publicationName, ZERO_LSN, (frame) =>
      this.onFrame(frame),
    );
    try {
      await ended;
      if (!this.stopped) throw new Error('the server ended the replication stream');
    } catch (error) {
      if (this.stopped) return;
      throw await this.streamError(error, settings);
    }
  }

  private onFrame(frame: ServerFrame): void {
    if (frame.kind === 'keepalive') {
      if (frame.walEnd > this.lastReceived) this.lastReceived = frame.walEnd;
      if (frame.replyRequested) this.sendStatus(false);
      return;
    }
    if (frame.endLsn > this.lastReceived) this.lastReceived = frame.endLsn;
    this.inbox.push({ frame });
    this.applyBackpressure();
    if (!this.draining) void this.drainInbox();
  }

  /** Handles frames one at a time (a Relation message may query the catalog before the next row is read). */
  private async drainInbox(): Promise<void> {
    this.draining = true;
    try {
      while (this.inbox.length > 0 && !this.stopped) {
        const { frame } = this.inbox.shift()!;
        if (frame.kind !== 'xlog') continue;
        await this.stream?.handle(decodePgOutput(frame.payload), frame.startLsn);
        this.applyBackpressure();
      }
    } catch (error) {
      this.fail(error);
    } finally {
      this.draining = false;
    }
  }

  private applyBackpressure(): void {
    const settings = this.settings;
    if (settings === null || this.replication === null || this.stopped) return;
    const backlog = this.queue.size + this.inbox.length;
    if (!this.paused && backlog >= settings.maxQueueSize) {
      this.paused = true;
      this.replication.pause();
    } else if (this.paused && backlog < settings.maxQueueSize / 2) {
      this.paused = false;
      this.replication.resume();
    }
  }

  async poll(): Promise<readonly SourceRecord[] | null> {
    if (this.failure !== null) throw this.failure;
    const settings = this.settings;
    if (settings === null || this.stopped) return null;
    await this.queue.waitForData(POLL_WAIT_MS);
    if (this.failure !== null) throw this.failure;
    const records: SourceRecord[] = [];
    for (const item of this.queue.take(settings.maxBatchSize)) {
      if (item.kind === 'record') {
        records.push(item.record);
        this.flush.recordPolled();
      } else {
        this.flush.commitPolled(item.endLsn);
      }
    }
    this.applyBackpressure();
    const heartbeat = this.maybeHeartbeat(settings);
    if (heartbeat !== null) {
      records.push(heartbeat);
      this.flush.recordPolled();
    }
    return records.length > 0 ? records : null;
  }

  /** A heartbeat once per interval while the queue is empty between transactions, so idle slots advance. */
  private maybeHeartbeat(settings: CdcSettings): SourceRecord | null {
    if (settings.heartbeatIntervalMs <= 0 || Date.now() - this.lastHeartbeat < settings.heartbeatIntervalMs)
      return null;
    this.lastHeartbeat = Date.now();
    if (settings.heartbeatActionQuery !== '' && this.queryClient !== null) {
      this.queryClient
        .query(settings.heartbeatActionQuery)
        .catch((error: unknown) =>
          this.logger?.warn('heartbeat.action.query failed', { error: String(error) }),
        );
    }
    const stream = this.stream;
    const position = stream?.lastPosition ?? null;
    if (position === null || stream?.inTransaction || !this.queue.isEmpty || this.inbox.length > 0)
      return null;
    if (this.heartbeatPosition === position.endLsn) return null;
    this.heartbeatPosition = position.endLsn;
    return heartbeatRecord(settings.heartbeatTopicPrefix, settings.topicPrefix, {
      lsn: lsnToNumber(position.endLsn),
      txId: position.xid,
      ts_usec: Number(position.commitTimeMicros),
      lsn_proc: lsnToNumber(position.endLsn),
      lsn_commit: lsnToNumber(position.commitLsn),
    });
  }

  commitRecord(_record: SourceRecord, _metadata: RecordMetadata | null): void {
    this.flush.recordAcknowledged();
  }

  /** Offsets are durable: confirm the slot up to the last transaction they fully cover. */
  commit(): void {
    if (this.stopped) return;
    const moved = this.flush.offsetsCommitted();
    if (moved !== null) {
      this.logger?.debug(`Confirming slot position ${formatLsn(moved)}`);
      this.sendStatus(false);
    }
  }

  private sendStatus(replyRequested: boolean): void {
    try {
      const received = this.lastReceived > this.flush.confirmed ? this.lastReceived : this.flush.confirmed;
      this.replication?.sendStatus(received, this.flush.confirmed, replyRequested);
    } catch (error) {
      this.logger?.warn('could not send a standby status update', { error: String(error) });
    }
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.statusTimer !== null) clearInterval(this.statusTimer);
    this.queue.wakeAll();
    await this.replication?.close().catch(() => undefined);
    this.replication = null;
    await this.snapshotClient?.end().catch(() => undefined);
    const settings = this.settings;
    if (settings?.slotDropOnStop && this.queryClient !== null) {
      await new Promise((r) => setTimeout(r, 200)); // let the walsender release the slot
      await dropSlot(this.queryClient, settings.slotName).catch((error: unknown) =>
        this.logger?.warn('could not drop the slot', { error: String(error) }),
      );
    }
    await this.queryClient?.end().catch(() => undefined);
    this.queryClient = null;
  }

  private fail(error: unknown): void {
    if (this.stopped || this.failure !== null) return;
    this.failure = error;
    this.logger?.error('Postgres CDC failed', { error: String(error) });
    this.queue.wakeAll();
  }

  private async waitForSlotRelease(
    query: pg.Client,
    settings: CdcSettings,
  ): Promise<Awaited<ReturnType<typeof slotState>>> {
    let state = await slotState(query, settings.slotName);
    for (
      let attempt = 0;
      state?.activePid != null && attempt < settings.slotMaxRetries && !this.stopped;
      attempt++
    ) {
      this.logger?.warn(
        `Slot ${settings.slotName} is active for pid ${state.activePid}; retrying in ${settings.slotRetryDelayMs} ms`,
      );
      await new Promise((r) => setTimeout(r, settings.slotRetryDelayMs));
      state = await slotState(query, settings.slotName);
    }
    if (state?.activePid != null)
      throw new SluiceError('PG_CDC_SLOT_IN_USE', [settings.slotName, state.activePid]);
    return state;
  }

  private async streamError(error: unknown, settings: CdcSettings): Promise<Error> {
    const code = (error as { code?: string }).code;
    if (code === '55006' && this.queryClient !== null) {
      const state = await slotState(this.queryClient, settings.slotName).catch(() => null);
      return new SluiceError('PG_CDC_SLOT_IN_USE', [settings.slotName, state?.activePid ?? 'unknown'], {
        cause: error,
      });
    }
    return new SluiceError(
      'PG_CDC_REPLICATION_FAILED',
      [settings.slotName, String((error as Error).message ?? error)],
      { cause: error },
    );
  }
}

function replicationConnectError(error: unknown, settings: CdcSettings): Error {
  const message = String((error as Error).message ?? error);
  if (/replication/i.test(message) && /(permission|must be|privilege)/i.test(message)) {
    return new SluiceError('PG_CDC_NO_REPLICATION_PERMISSION', [settings.user, `"${settings.user}"`], {
      cause: error,
    });
  }
  return new SluiceError('PG_CDC_REPLICATION_FAILED', [settings.slotName, message], { cause: error });
}
