import type { MetricSample, TaskMetricsRegistry } from '../../../runtime/api/index.js';
import type { Operation } from './events.js';

/**
 * Debezium's snapshot and streaming metrics of the PostgreSQL connector (the MBeans
 * `debezium.postgres:type=connector-metrics,context=snapshot|streaming,server=<topic.prefix>`), shown on
 * GET /metrics under the names Debezium's JMX exporter rules give them: `debezium_metrics_<Attribute>` with
 * the labels `plugin`, `name` (the topic prefix) and `context`; RowsScanned also has `table`. The readers
 * count into plain fields; the values are computed when /metrics is scraped.
 */
export class DebeziumMetrics {
  // context=snapshot
  private snapshotStartedAt = -1;
  private snapshotEndedAt = -1;
  private snapshotRunning = false;
  private snapshotCompleted = false;
  private snapshotAborted = false;
  private totalTables = 0;
  private remainingTables = 0;
  private readonly rowsScanned = new Map<string, number>();
  private snapshotEvents = 0;
  private snapshotLastEventAt = -1;
  // context=streaming
  private connected = false;
  private streamingEvents = 0;
  private readonly streamingByOp = { c: 0, u: 0, d: 0 };
  private filteredEvents = 0;
  private committedTransactions = 0;
  private behindSourceMs = -1;
  private streamingLastEventAt = -1;

  constructor(
    private readonly topicPrefix: string,
    /** The change-event queue between the readers and poll() (max.queue.size). */
    private readonly queue: { readonly capacity: number; readonly size: number },
    private readonly now: () => number = Date.now,
  ) {}

  // ---- snapshot ----

  snapshotStarted(tableCount: number): void {
    this.snapshotStartedAt = this.now();
    this.snapshotEndedAt = -1;
    this.snapshotRunning = true;
    this.snapshotCompleted = false;
    this.snapshotAborted = false;
    this.totalTables = tableCount;
    this.remainingTables = tableCount;
    this.rowsScanned.clear();
  }

  tableStarted(table: string): void {
    this.rowsScanned.set(table, 0);
  }

  rowsRead(table: string, rows: number): void {
    if (rows === 0) return;
    this.rowsScanned.set(table, (this.rowsScanned.get(table) ?? 0) + rows);
    this.snapshotEvents += rows;
    this.snapshotLastEventAt = this.now();
  }

  tableDone(): void {
    this.remainingTables = Math.max(0, this.remainingTables - 1);
  }

  /** The snapshot ended: completed, or aborted (the task stopped before it read every table). */
  snapshotEnded(completed: boolean): void {
    if (!this.snapshotRunning) return;
    this.snapshotRunning = false;
    this.snapshotEndedAt = this.now();
    this.snapshotCompleted = completed;
    this.snapshotAborted = !completed;
  }

  // ---- streaming ----

  setConnected(connected: boolean): void {
    this.connected = connected;
  }

  /** A change event was queued; `commitTimeMs` is its transaction's commit time on the server. */
  eventSeen(op: Operation, commitTimeMs: number): void {
    const now = this.now();
    this.streamingEvents++;
    if (op === 'c' || op === 'u' || op === 'd') this.streamingByOp[op]++;
    this.streamingLastEventAt = now;
    this.behindSourceMs = Math.max(0, now - commitTimeMs);
  }

  /** A change event that skipped.operations dropped. */
  eventFiltered(): void {
    this.filteredEvents++;
  }

  transactionCommitted(): void {
    this.committedTransactions++;
  }

  // ---- GET /metrics ----

  /** Registers every family with the task's metrics registry. */
  register(registry: TaskMetricsRegistry): void {
    const snapshot = { plugin: 'postgres', name: this.topicPrefix, context: 'snapshot' };
    const streaming = { ...snapshot, context: 'streaming' };
    const labelNames = ['plugin', 'name', 'context'];
    const sinceLastEvent = (at: number): number => (at < 0 ? -1 : this.now() - at);
    const gauge = (attribute: string, help: string, samples: () => Iterable<MetricSample>): void =>
      registry.register({ name: `debezium_metrics_${attribute}`, help, type: 'gauge', labelNames }, samples);
    const snapshotOnly = (attribute: string, help: string, value: () => number): void =>
      gauge(attribute, help, () => [{ labels: snapshot, value: value() }]);
    const streamingOnly = (attribute: string, help: string, value: () => number): void =>
      gauge(attribute, help, () => [{ labels: streaming, value: value() }]);
    const both = (
      attribute: string,
      help: string,
      ofSnapshot: () => number,
      ofStreaming: () => number,
    ): void =>
      gauge(attribute, help, () => [
        { labels: snapshot, value: ofSnapshot() },
        { labels: streaming, value: ofStreaming() },
      ]);
    const flag = (value: boolean): number => (value ? 1 : 0);

    snapshotOnly(
      'TotalTableCount',
      'The total number of tables that are being included in the snapshot.',
      () => this.totalTables,
    );
    snapshotOnly(
      'RemainingTableCount',
      'The number of tables that the snapshot has yet to copy.',
      () => this.remainingTables,
    );
    snapshotOnly('SnapshotRunning', 'Whether the snapshot was started (1) or not (0).', () =>
      flag(this.snapshotRunning),
    );
    snapshotOnly('SnapshotAborted', 'Whether the snapshot was aborted (1) or not (0).', () =>
      flag(this.snapshotAborted),
    );
    snapshotOnly('SnapshotCompleted', 'Whether the snapshot completed (1) or not (0).', () =>
      flag(this.snapshotCompleted),
    );
    snapshotOnly(
      'SnapshotDurationInSeconds',
      'The total number of seconds that the snapshot has taken so far, even if not complete.',
      () => this.snapshotSeconds(),
    );
    registry.register(
      {
        name: 'debezium_metrics_RowsScanned',
        help: 'The number of rows scanned per table during the snapshot.',
        type: 'gauge',
        labelNames: [...labelNames, 'table'],
      },
      () => [...this.rowsScanned].map(([table, value]) => ({ labels: { ...snapshot, table }, value })),
    );
    both(
      'TotalNumberOfEventsSeen',
      'The total number of events that this connector has seen since last started or reset.',
      () => this.snapshotEvents,
      () => this.streamingEvents,
    );
    both(
      'MilliSecondsSinceLastEvent',
      'The number of milliseconds since the connector has read and processed the most recent event (-1 before the first).',
      () => sinceLastEvent(this.snapshotLastEventAt),
      () => sinceLastEvent(this.streamingLastEventAt),
    );
    both(
      'QueueTotalCapacity',
      'The length of the queue used to pass events between the snapshotter or streamer and the main Kafka Connect loop.',
      () => this.queue.capacity,
      () => this.queue.capacity,
    );
    both(
      'QueueRemainingCapacity',
      'The free capacity of the queue used to pass events between the snapshotter or streamer and the main Kafka Connect loop.',
      () => Math.max(0, this.queue.capacity - this.queue.size),
      () => Math.max(0, this.queue.capacity - this.queue.size),
    );
    both(
      'NumberOfEventsFiltered',
      'The number of events that have been filtered by include/exclude list filtering rules (skipped.operations).',
      () => 0,
      () => this.filteredEvents,
    );
    streamingOnly(
      'TotalNumberOfCreateEventsSeen',
      'The total number of create events that this connector has seen since the last start or metrics reset.',
      () => this.streamingByOp.c,
    );
    streamingOnly(
      'TotalNumberOfUpdateEventsSeen',
      'The total number of update events that this connector has seen since the last start or metrics reset.',
      () => this.streamingByOp.u,
    );
    streamingOnly(
      'TotalNumberOfDeleteEventsSeen',
      'The total number of delete events that this connector has seen since the last start or metrics reset.',
      () => this.streamingByOp.d,
    );
    streamingOnly(
      'Connected',
      'Whether the connector is currently connected to the database server (1) or not (0).',
      () => flag(this.connected),
    );
    streamingOnly(
      'MilliSecondsBehindSource',
      "The number of milliseconds between the last change event's commit time on the server and the connector processing it (-1 before the first).",
      () => this.behindSourceMs,
    );
    streamingOnly(
      'NumberOfCommittedTransactions',
      'The number of processed transactions that were committed.',
      () => this.committedTransactions,
    );
  }

  /** Debezium's SnapshotDurationInSeconds: whole seconds so far while running, the total once ended, 0 before. */
  private snapshotSeconds(): number {
    if (this.snapshotStartedAt < 0) return 0;
    const end = this.snapshotRunning ? this.now() : this.snapshotEndedAt;
    return Math.floor((end - this.snapshotStartedAt) / 1000);
  }
}
