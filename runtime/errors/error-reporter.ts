import type { SourceRecord } from '../api/records.js';
import type { ConsumedRecord } from './consumed-record.js';
import type { Stage } from './stage.js';

/** Which record an operation was working on, and for whom; the worker passes it to every execute call. */
export interface ProcessingContext {
  readonly connector: string;
  readonly taskId: number;
  /** Sink tasks: the raw record as consumed. */
  readonly consumedRecord?: ConsumedRecord;
  /** Source tasks: the record as the task produced it, before transforms. */
  readonly sourceRecord?: SourceRecord;
  /** The plugin running the stage (converter, transform, task class) — named in messages and DLQ headers. */
  readonly executingClass?: string;
}

/** Everything a reporter needs about one failed operation (Connect's ProcessingContext after a failure). */
export interface ErrorReport extends ProcessingContext {
  readonly stage: Stage;
  readonly error: unknown;
  /** How many times the operation ran, including the first attempt. */
  readonly attempts: number;
}

/** Somewhere a failure is recorded: the log, a dead letter queue topic. */
export interface ErrorReporter {
  /**
   * Records one failure. The returned promise settles when the report is durable (for the DLQ: Kafka
   * acknowledged the record); a rejection means the report was lost.
   */
  report(report: ErrorReport): Promise<void> | void;
  close?(): Promise<void> | void;
}
