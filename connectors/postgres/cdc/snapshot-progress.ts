import type { Logger } from '../../../runtime/api/index.js';

/** How often a long table read says how far it got (Debezium logs every 10 s; a few seconds reads better). */
const PROGRESS_INTERVAL_MS = 5_000;

/**
 * Progress of a snapshot, one table at a time: a line every few seconds with rows done of the estimate
 * (`pg_class.reltuples`, as Debezium's RowsScanned is judged against), rate and time left, and a line
 * when a table is done. Without it a large snapshot is silent between its first and last line.
 */
export class SnapshotProgress {
  private table = '';
  private estimate = -1;
  private rows = 0;
  private tableStarted = 0;
  private lastLine = 0;

  constructor(
    private readonly logger: Logger | undefined,
    private readonly tableCount: number,
    private readonly now: () => number = Date.now,
  ) {}

  startTable(name: string, index: number, estimatedRows: number): void {
    this.table = name;
    this.estimate = estimatedRows;
    this.rows = 0;
    this.tableStarted = this.lastLine = this.now();
    const about = estimatedRows >= 0 ? `, about ${estimatedRows} row(s)` : '';
    this.logger?.info(`Snapshot of ${name} started (table ${index + 1} of ${this.tableCount}${about})`, {
      table: name,
    });
  }

  rowsRead(count: number): void {
    this.rows += count;
    const now = this.now();
    if (now - this.lastLine < PROGRESS_INTERVAL_MS) return;
    this.lastLine = now;
    const rate = this.rows / Math.max(0.001, (now - this.tableStarted) / 1000);
    let of = '';
    let eta = '';
    if (this.estimate > 0) {
      of = ` of about ${this.estimate} (${Math.min(100, Math.floor((100 * this.rows) / this.estimate))}%)`;
      eta = `, about ${Math.max(0, Math.ceil((this.estimate - this.rows) / Math.max(rate, 1)))} s left`;
    }
    this.logger?.info(
      `Snapshot of ${this.table}: ${this.rows} row(s)${of}, ${Math.round(rate)} rows/s${eta}`,
      { table: this.table, rows: this.rows, estimatedRows: this.estimate, rowsPerSecond: Math.round(rate) },
    );
  }

  endTable(): void {
    const seconds = (this.now() - this.tableStarted) / 1000;
    this.logger?.info(`Snapshot of ${this.table} done: ${this.rows} row(s) in ${seconds.toFixed(1)} s`, {
      table: this.table,
      rows: this.rows,
    });
  }
}
