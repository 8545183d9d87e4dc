import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  InterruptibleSleep,
  kafkaAccessOf,
  SluiceError,
  taskMetricsOf,
  type ConnectorConfig,
  type Header,
  type Logger,
  type RecordMetadata,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../../runtime/api/index.js';
import { cdcSettings, type CdcSettings } from './config.js';
import { connectExplained, explainConnectError } from './connect-errors.js';
import { DebeziumMetrics } from './debezium-metrics.js';
import {
  errorMessage,
  isConnectionLoss,
  ServerSilentError,
  socketClosedFlag,
  StreamEndedError,
} from './connection-loss.js';
import { contextHeaders, heartbeatRecord, sourcePartition } from './events.js';
import { CaptureFilters } from './filters.js';
import { FlushTracker } from './flush-tracker.js';
import { IncrementalSnapshot } from './incremental-snapshot.js';
import { KafkaSignalChannel } from './kafka-signal-channel.js';
import { formatLsn, lsnToNumber, ZERO_LSN, type Lsn } from './lsn.js';
import { ModelCache } from './model-cache.js';
import { needsSnapshot, storedState, type StoredState } from './offsets.js';
import { baseConfig, closeClient, connectQueryClient } from './pg-connect.js';
import { decodePgOutput } from './pgoutput-decoder.js';
import { capturedTables, checkServerReady, dropSlot, ensurePublication, slotState } from './preflight.js';
import { PgTypeRegistry } from './pg-types.js';
import { RecordQueue } from './record-queue.js';
import { ReplicationConnection } from './replication-connection.js';
import { ReplicationLiveness } from './replication-liveness.js';
import { RetryBudget } from './retry-budget.js';
import { StartRetry } from './start-retry.js';
import type { ServerFrame } from './replication-frames.js';
import { SnapshotReader } from './snapshot-reader.js';
import { StreamReader } from './stream-reader.js';
import { parseKeyColumns } from './table-model.js';

const POLL_WAIT_MS = 500;

/**
 * One Postgres CDC task: optional snapshot, then the pgoutput stream of the slot. Records flow through a
 * bounded queue to poll(); the slot is confirmed only up to transactions whose records were committed.
 *
 * The task owns its connections, so it also recovers them: when the streaming session (the replication
 * connection or the metadata connection beside it) is lost, it reconnects after
 * `retriable.restart.connector.wait.ms`, up to `errors.max.retries` times in a row, as Debezium restarts
 * its task. The server resumes from the slot's confirmed position (never past committed offsets); the
 * stream reader skips what it already queued, and the queue and the flush tracker carry on untouched.
 */
export class PostgresCdcSourceTask implements SourceTask {
  private settings: CdcSettings | null = null;
  private logger: Logger | null = null;
  private filters: CaptureFilters | null = null;
  private queue: RecordQueue = new RecordQueue(1);
  private flush = new FlushTracker(ZERO_LSN);
  private queryClient: pg.Client | null = null;
  private queryClosed: () => boolean = () => false;
  private snapshotClient: pg.Client | null = null;
  private replication: ReplicationConnection | null = null;
  private stream: StreamReader | null = null;
  /** Incremental snapshots through signals; null without signal.data.collection. */
  private incremental: IncrementalSnapshot | null = null;
  /** signal.enabled.channels=kafka: signals from a Kafka topic, for the incremental snapshot. */
  private kafkaSignals: KafkaSignalChannel | null = null;
  private stopped = false;
  private failure: unknown = null;
  private paused = false;
  private lastReceived: Lsn = ZERO_LSN;
  private statusTimer: NodeJS.Timeout | null = null;
  /** Whether the streaming session's server still talks (wal.receiver.timeout.ms); null between sessions. */
  private liveness: ReplicationLiveness | null = null;
  private livenessTimer: NodeJS.Timeout | null = null;
  private lastHeartbeat = Date.now();
  private heartbeatPosition: Lsn | null = null;
  private inbox: { frame: ServerFrame }[] = [];
  private draining: Promise<void> | null = null;
  /** Counts streaming sessions; frames and errors of an older session are ignored. */
  private session = 0;
  private retries = new RetryBudget(-1);
  private readonly backoff = new InterruptibleSleep();
  /** Set after a reconnect until the new session sends its first frame. */
  private reconnecting = false;
  /** Server pid of the lost session's walsender: the one holder of the slot a reconnect may terminate. */
  private previousWalsenderPid: number | null = null;
  private changeEventsAtReconnect = 0;
  private context: SourceTaskContext | null = null;
  /** The headers every change event carries (Debezium's extended headers). */
  private eventHeaders: readonly Header[] = [];
  /** Set by start(): whether the task still has to connect, and when to try again. */
  private startRetry: StartRetry | null = null;
  /** The start attempt under way, if any (settles without throwing), so stop() can wait for it. */
  private opening: Promise<void> | null = null;
  /** Debezium's snapshot and streaming metrics, shown on GET /metrics. */
  private metrics: DebeziumMetrics | null = null;

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    const settings = cdcSettings(config);
    this.settings = settings;
    // One run id per start, as Debezium's CdcSourceTaskContext; reconnections keep it.
    this.eventHeaders = settings.extendedHeadersEnabled
      ? contextHeaders(settings.topicPrefix, randomUUID())
      : [];
    this.logger = context.logger;
    this.context = context;
    this.stopped = false;
    this.queue = new RecordQueue(settings.maxQueueSize);
    this.metrics = new DebeziumMetrics(settings.topicPrefix, this.queue);
    this.metrics.register(taskMetricsOf(context));
    this.retries = new RetryBudget(settings.maxRetries);
    this.startRetry = new StartRetry(this.retries, settings);
    this.filters = new CaptureFilters(settings);
    // A server that cannot be reached yet does not fail the task: poll() tries again (see retryStart).
    await this.attemptStart(settings, context);
  }

  /**
   * One try at what a start does: connect, check the server, the publication and the slot, begin the
   * snapshot when one is needed, then hand over to run(). A lost or refused connection schedules the next
   * try (the task stays RUNNING); anything else, or no retry left, is thrown and fails the task.
   */
  private async attemptStart(settings: CdcSettings, context: SourceTaskContext): Promise<void> {
    const startRetry = this.startRetry;
    if (startRetry === null) return;
    const opening = this.open(settings, context);
    this.opening = opening.catch(() => undefined);
    try {
      await opening;
      if (startRetry.failures > 0 && !this.stopped) {
        this.logger?.info(
          `Connected to PostgreSQL at ${settings.host}:${settings.port} after ${startRetry.failures} failed start attempt(s)`,
        );
      }
      startRetry.succeeded();
    } catch (error) {
      const socketClosed = this.socketLost();
      await this.closeConnections();
      if (this.stopped) return;
      const verdict = startRetry.failed(error, socketClosed);
      if (!verdict.retry) throw verdict.error;
      this.logger?.warn(verdict.warning, {
        cause: errorMessage(error),
        attempt: verdict.attempt,
        code: (error as { code?: unknown }).code,
      });
    } finally {
      this.opening = null;
    }
  }

  /** Called from poll() while the start is pending: waits out the delay (in short steps), then tries again. */
  private async retryStart(settings: CdcSettings, startRetry: StartRetry): Promise<void> {
    const wait = startRetry.msUntilDue();
    if (wait > 0) {
      await this.backoff.sleep(Math.min(wait, POLL_WAIT_MS));
      if (startRetry.msUntilDue() > 0) return;
    }
    const context = this.context;
    if (this.stopped || context === null) return;
    this.logger?.info(
      `Connecting to PostgreSQL at ${settings.host}:${settings.port} (start attempt ${startRetry.failures + 1})`,
    );
    await this.attemptStart(settings, context);
  }

  private async open(settings: CdcSettings, context: SourceTaskContext): Promise<void> {
    const filters = this.filters;
    if (filters === null) return;
    const query = new pg.Client(baseConfig(settings, `sluice-cdc-${settings.slotName}-meta`));
    this.useQueryClient(query);
    await connectExplained(query, settings);
    await checkServerReady(query, settings.user);
    await ensurePublication(query, settings, filters);

    const committed = await context.offsetStorageReader.offset(sourcePartition(settings.topicPrefix));
    const state = storedState(committed);
    let slot = await slotState(query, settings.slotName);
    if (slot?.activePid !== null && slot !== null) slot = await this.waitForSlotRelease(query, settings);
    const snapshot = needsSnapshot(settings.snapshotMode, state, slot !== null);
    if (this.stopped) return;

    const replication = new ReplicationConnection(settings);
    this.replication = replication;
    try {
      await replication.connect();
    } catch (error) {
      if (this.isSessionLoss(error)) throw error;
      throw replicationConnectError(error, settings);
    }
    let snapshotName: string | null = null;
    let startPoint: Lsn = slot?.confirmedFlush ?? ZERO_LSN;
    if (slot !== null && snapshot) {
      // The slot is never dropped: it holds every change since the last confirmed position, also those made
      // while the task was down (a crash before the snapshot's completion reached the stored offsets). The
      // snapshot is taken again and streaming then starts at the slot's confirmed position, so changes the
      // snapshot already shows may be delivered twice; none is lost.
      context.logger.info(
        `Snapshot of ${settings.topicPrefix} ${snapshotReason(state)}; taking it, then streaming from slot ${settings.slotName} at its confirmed position ${formatLsn(startPoint)} (changes since then may repeat)`,
      );
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

    const resume = state.kind === 'streaming' && !snapshot ? state.resume : null;
    await this.incremental?.close();
    this.incremental =
      settings.signalDataCollection === ''
        ? null
        : new IncrementalSnapshot(
            settings,
            this.queue,
            this.eventHeaders,
            context.logger,
            (error) => this.fail(error),
            snapshot ? null : committed,
          );
    this.stream = new StreamReader(
      settings,
      this.streamModels(query, settings, filters),
      this.queue,
      resume,
      this.eventHeaders,
      this.metrics ?? undefined,
      this.incremental,
    );

    let reader: SnapshotReader | null = null;
    if (snapshot) {
      const snapshotClient = await connectQueryClient(settings, `sluice-cdc-${settings.slotName}-snapshot`);
      snapshotClient.on('error', (error) => this.fail(error));
      this.snapshotClient = snapshotClient;
      reader = new SnapshotReader(
        snapshotClient,
        settings,
        this.streamModels(snapshotClient, settings, filters),
        this.queue,
        startPoint,
        () => this.stopped,
        this.eventHeaders,
        this.logger ?? undefined,
        this.metrics ?? undefined,
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
    if (this.stopped) return; // stop() closes what this attempt opened
    void this.run(reader, tables, settings);
  }

  private streamModels(client: pg.Client, settings: CdcSettings, filters: CaptureFilters): ModelCache {
    return new ModelCache(client, new PgTypeRegistry(client), filters, {
      topicPrefix: settings.topicPrefix,
      filters,
      keyColumns: parseKeyColumns(settings.messageKeyColumns),
      decimalMode: settings.decimalMode,
      timePrecisionMode: settings.timePrecisionMode,
    });
  }

  /** The metadata connection: catalog lookups for Relation messages, heartbeat queries, slot checks. */
  private useQueryClient(client: pg.Client): void {
    this.queryClient = client;
    this.queryClosed = socketClosedFlag(client);
    // Losing it ends the streaming session too (the reconnect replaces both); before streaming starts the
    // replication connection carries the error until start() is called.
    client.on('error', (error) => {
      if (this.queryClient === client) this.replication?.abort(error);
    });
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
        // A whole snapshot read: the connection is healthy, so the retry count starts over (Debezium resets
        // it once a poll returns change events, snapshot reads included).
        this.retries.reset();
        if (settings.snapshotMode === 'initial_only') return;
      }
      if (this.stopped) return;
      await this.startKafkaSignals(settings);
      if (this.stopped) return;
      this.incremental?.resume();
      await this.streamWithReconnects(settings);
    } catch (error) {
      this.fail(error);
    }
  }

  private async startKafkaSignals(settings: CdcSettings): Promise<void> {
    const incremental = this.incremental;
    const context = this.context;
    if (incremental === null || context === null || !settings.signalChannels.has('kafka')) return;
    await this.kafkaSignals?.stop();
    const channel = new KafkaSignalChannel(
      settings,
      kafkaAccessOf(context),
      context.logger,
      (signal, offset) => incremental.signal(signal, offset),
      (error) => this.fail(error),
      incremental.kafkaSignalResumeOffset,
    );
    this.kafkaSignals = channel;
    await channel.start();
  }

  /**
   * Streams until stopped. A lost session is retriable: close it, wait, open a new one (checking the server
   * and the slot again, as a restart would) and stream on. Anything else, or running out of retries, fails.
   */
  private async streamWithReconnects(settings: CdcSettings): Promise<void> {
    let reconnect = false;
    while (!this.stopped) {
      let opening = reconnect;
      try {
        if (reconnect) await this.openSession(settings);
        opening = false;
        if (this.stopped) return;
        await this.streamOnce(settings);
        return;
      } catch (error) {
        if (this.stopped) return;
        if (!this.isSessionLoss(error)) throw await this.streamError(error, settings);
        const attempt = this.retries.take();
        if (attempt === null) {
          throw new SluiceError(
            'PG_CDC_CONNECTION_LOST',
            [settings.host, settings.port, this.retries.attempts, settings.maxRetries, errorMessage(error)],
            { cause: error },
          );
        }
        const what = opening ? 'Could not reconnect to' : 'Lost the connection to';
        this.logger?.warn(
          `${what} PostgreSQL at ${settings.host}:${settings.port} (slot ${settings.slotName}): ${errorMessage(error)}; reconnect attempt ${attempt} of ${this.retries.limit} in ${settings.retryWaitMs} ms`,
          { cause: errorMessage(error), attempt, code: (error as { code?: unknown }).code },
        );
        await this.closeSession();
        await this.backoff.sleep(settings.retryWaitMs);
        reconnect = true;
      }
    }
  }

  /** Whether `error` ended the session because a connection was lost (rather than a server verdict). */
  private isSessionLoss(error: unknown): boolean {
    return isConnectionLoss(error, this.socketLost());
  }

  /** Whether the socket of the replication or the metadata connection closed. */
  private socketLost(): boolean {
    return (this.replication?.lost ?? false) || this.queryClosed();
  }

  private async streamOnce(settings: CdcSettings): Promise<void> {
    const replication = this.replication;
    if (replication === null) return;
    // A full queue during the snapshot paused this connection's socket too (poll() applies backpressure to
    // whatever connection there is): streaming must read it again, or no frame would ever arrive.
    if (this.paused) replication.resume();
    this.paused = false;
    this.statusTimer = setInterval(() => this.sendStatus(false), settings.statusUpdateIntervalMs);
    this.watchLiveness(replication, settings);
    this.logger?.info(
      `Streaming from slot ${settings.slotName} (confirmed ${formatLsn(this.flush.confirmed)})`,
    );
    const session = this.session;
    // 0/0: the server starts at the slot's confirmed_flush_lsn; the stream reader skips what offsets show as delivered.
    const ended = replication.start(settings.slotName, settings.publicationName, ZERO_LSN, (frame) =>
      this.onFrame(frame, session),
    );
    this.metrics?.setConnected(true);
    this.applyBackpressure();
    try {
      await ended;
      if (!this.stopped) throw new StreamEndedError();
    } finally {
      this.metrics?.setConnected(false);
      this.stopTimers();
    }
  }

  private stopTimers(): void {
    if (this.statusTimer !== null) clearInterval(this.statusTimer);
    if (this.livenessTimer !== null) clearInterval(this.livenessTimer);
    this.statusTimer = null;
    this.livenessTimer = null;
    this.liveness = null;
  }

  /** Gives a session up whose server went silent (see ReplicationLiveness): the reconnect loop takes over. */
  private watchLiveness(replication: ReplicationConnection, settings: CdcSettings): void {
    if (settings.walReceiverTimeoutMs <= 0) return;
    const liveness = new ReplicationLiveness(settings.walReceiverTimeoutMs);
    this.liveness = liveness;
    this.livenessTimer = setInterval(() => {
      const verdict = liveness.check();
      if (verdict === 'ask') this.sendStatus(true);
      else if (verdict === 'lost') replication.abort(new ServerSilentError(liveness.silentMs));
    }, liveness.checkIntervalMs);
  }

  /** Drops the lost session's connections and the frames it delivered but were not handled yet. */
  private async closeSession(): Promise<void> {
    this.session++;
    const replication = this.replication;
    this.replication = null;
    if (replication !== null && replication.serverPid > 0) this.previousWalsenderPid = replication.serverPid;
    this.inbox = [];
    await replication?.close().catch(() => undefined);
    const query = this.queryClient;
    this.queryClient = null;
    // Ending it fails a catalog lookup still waiting on it, so the drain loop below can finish.
    if (query !== null) await closeClient(query);
    await this.draining;
  }

  /** A new metadata and replication connection, checked like at start; then the stream reader resumes. */
  private async openSession(settings: CdcSettings): Promise<void> {
    const filters = this.filters;
    const stream = this.stream;
    if (filters === null || stream === null) return;
    const query = new pg.Client(baseConfig(settings, `sluice-cdc-${settings.slotName}-meta`));
    this.useQueryClient(query);
    await connectExplained(query, settings);
    if (this.stopped) return;
    await checkServerReady(query, settings.user);
    await ensurePublication(query, settings, filters);
    await this.claimSlot(query, settings);
    if (this.stopped) return;
    const replication = new ReplicationConnection(settings);
    this.replication = replication;
    try {
      await replication.connect();
    } catch (error) {
      if (this.isSessionLoss(error)) throw error;
      throw replicationConnectError(error, settings);
    }
    if (this.stopped) {
      await replication.close().catch(() => undefined);
      return;
    }
    stream.reconnected(this.streamModels(query, settings, filters));
    this.changeEventsAtReconnect = stream.changeEvents;
    this.reconnecting = true;
  }

  /**
   * The slot must still exist (a dropped slot means lost changes: a restart decides about that), and be
   * free. After a network failure the server may not have noticed yet that our previous walsender is gone:
   * that one, and only that one, is terminated; anything else holding the slot gets slot.max.retries waits.
   */
  private async claimSlot(query: pg.Client, settings: CdcSettings): Promise<void> {
    const slot = await slotState(query, settings.slotName);
    if (slot === null) {
      throw new SluiceError('PG_CDC_REPLICATION_FAILED', [
        settings.slotName,
        'the slot no longer exists, so changes made since it was dropped cannot be streamed; restart the connector to create it again (snapshot.mode=when_needed re-snapshots in that case)',
      ]);
    }
    if (slot.activePid === null) return;
    if (slot.activePid === this.previousWalsenderPid) {
      this.logger?.warn(
        `Slot ${settings.slotName} is still held by this task's previous walsender (pid ${slot.activePid}); terminating it`,
      );
      await query
        .query('SELECT pg_terminate_backend($1)', [slot.activePid])
        .catch((error: unknown) =>
          this.logger?.warn('could not terminate the previous walsender', { error: errorMessage(error) }),
        );
    }
    await this.waitForSlotRelease(query, settings);
  }

  private onFrame(frame: ServerFrame, session: number): void {
    if (session !== this.session) return;
    this.liveness?.heard();
    if (this.reconnecting) {
      this.reconnecting = false;
      this.logger?.info(
        `Reconnected: streaming from slot ${this.settings?.slotName} again (confirmed ${formatLsn(this.flush.confirmed)})`,
      );
      // The new session learns at once how far this task confirmed while it was disconnected.
      this.sendStatus(false);
    }
    if (frame.kind === 'keepalive') {
      if (frame.walEnd > this.lastReceived) this.lastReceived = frame.walEnd;
      if (frame.replyRequested) this.sendStatus(false);
      return;
    }
    if (frame.endLsn > this.lastReceived) this.lastReceived = frame.endLsn;
    this.inbox.push({ frame });
    this.applyBackpressure();
    if (this.draining === null) {
      this.draining = this.drainInbox(session).finally(() => {
        this.draining = null;
      });
    }
  }

  /** Handles frames one at a time (a Relation message may query the catalog before the next row is read). */
  private async drainInbox(session: number): Promise<void> {
    try {
      while (this.inbox.length > 0 && !this.stopped && this.session === session) {
        const { frame } = this.inbox.shift()!;
        if (frame.kind !== 'xlog') continue;
        await this.stream?.handle(decodePgOutput(frame.payload), frame.startLsn);
        this.applyBackpressure();
        // Change events flow again: the retry count starts over, as Debezium resets it once a poll returns
        // change events (replayed events this task had already queued do not count).
        if (this.retries.attempts > 0 && (this.stream?.changeEvents ?? 0) > this.changeEventsAtReconnect)
          this.retries.reset();
      }
    } catch (error) {
      if (this.stopped || this.session !== session) return; // the session was closed under it
      if (this.isSessionLoss(error)) this.replication?.abort(error);
      else this.fail(error);
    }
  }

  private applyBackpressure(): void {
    const settings = this.settings;
    if (settings === null || this.replication === null || this.stopped) return;
    const backlog = this.queue.size + this.inbox.length;
    if (!this.paused && backlog >= settings.maxQueueSize) {
      this.paused = true;
      this.liveness?.suspend();
      this.replication.pause();
    } else if (this.paused && backlog < settings.maxQueueSize / 2) {
      this.paused = false;
      this.liveness?.resumed();
      this.replication.resume();
    }
  }

  async poll(): Promise<readonly SourceRecord[] | null> {
    if (this.failure !== null) throw this.failure;
    const settings = this.settings;
    if (settings === null || this.stopped) return null;
    if (this.startRetry?.pending === true) {
      await this.retryStart(settings, this.startRetry);
      return null;
    }
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
      // A heartbeat's offset is the newest one stored: it must keep the incremental snapshot's position.
      ...this.incremental?.offsetFields(),
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
    this.stopTimers();
    this.backoff.interrupt();
    this.queue.wakeAll();
    await this.replication?.close().catch(() => undefined);
    this.replication = null;
    await this.snapshotClient?.end().catch(() => undefined);
    await this.kafkaSignals?.stop();
    await this.incremental?.close();
    const settings = this.settings;
    if (settings?.slotDropOnStop && this.queryClient !== null) {
      await new Promise((r) => setTimeout(r, 200)); // let the walsender release the slot
      await dropSlot(this.queryClient, settings.slotName).catch((error: unknown) =>
        this.logger?.warn('could not drop the slot', { error: String(error) }),
      );
    }
    if (this.queryClient !== null) await closeClient(this.queryClient);
    this.queryClient = null;
    // A start attempt under way fails fast once its connections are closed; close what it opened meanwhile.
    if (this.opening !== null) {
      await this.opening;
      await this.closeConnections();
    }
  }

  /** Closes every connection of a start attempt that did not go through (or that stop() overtook). */
  private async closeConnections(): Promise<void> {
    await this.closeSession();
    const snapshotClient = this.snapshotClient;
    this.snapshotClient = null;
    if (snapshotClient !== null) await closeClient(snapshotClient);
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
      await this.backoff.sleep(settings.slotRetryDelayMs);
      state = await slotState(query, settings.slotName);
    }
    if (state?.activePid != null)
      throw new SluiceError('PG_CDC_SLOT_IN_USE', [settings.slotName, state.activePid]);
    return state;
  }

  private async streamError(error: unknown, settings: CdcSettings): Promise<Error> {
    if (error instanceof SluiceError) return error;
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

/** Why a snapshot is taken although the slot exists, for the log. */
function snapshotReason(state: StoredState): string {
  switch (state.kind) {
    case 'snapshot-incomplete':
      return 'did not complete before';
    case 'none':
      return 'has no stored offset';
    default:
      return 'is taken at every start (snapshot.mode)';
  }
}

function replicationConnectError(error: unknown, settings: CdcSettings): unknown {
  const explained = explainConnectError(error, settings);
  if (explained !== error) return explained;
  const message = String((error as Error).message ?? error);
  if (/replication/i.test(message) && /(permission|must be|privilege)/i.test(message)) {
    return new SluiceError('PG_CDC_NO_REPLICATION_PERMISSION', [settings.user, `"${settings.user}"`], {
      cause: error,
    });
  }
  return new SluiceError('PG_CDC_REPLICATION_FAILED', [settings.slotName, message], { cause: error });
}
