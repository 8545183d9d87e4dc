import type { SinkRecord } from '../api/records.js';
import type { ErrantRecordReporter } from '../api/task.js';
import type { ConsumedRecord } from './consumed-record.js';
import type { ErrorHandlingConfig } from './error-handling-config.js';
import type { ErrorHandler } from './error-handler.js';

export interface ErrantRecordReporterOptions {
  readonly handler: ErrorHandler;
  readonly connector: string;
  readonly taskId: number;
  /** The sink task's plugin name, written to `__connect.errors.class.name`. */
  readonly executingClass?: string;
  /**
   * Finds the raw consumed record behind a SinkRecord (ConsumedRecordIndex.lookup). For a record
   * the task built itself, return a re-serialized one; undefined means the DLQ gets nothing to write.
   */
  readonly lookupConsumedRecord: (record: SinkRecord) => ConsumedRecord | undefined;
}

/**
 * The sink task's `context.errantRecordReporter`: reports a record the task could not write as a
 * TASK_PUT failure. With errors.tolerance=all the promise resolves once the DLQ holds the record;
 * with none it rejects with TOLERANCE_EXCEEDED (after the record was still reported).
 */
export function createErrantRecordReporter(options: ErrantRecordReporterOptions): ErrantRecordReporter {
  const { handler, connector, taskId, executingClass, lookupConsumedRecord } = options;
  return (record: SinkRecord, error: Error) =>
    handler.reportFailure('TASK_PUT', error, {
      connector,
      taskId,
      executingClass,
      consumedRecord: lookupConsumedRecord(record),
    });
}

/**
 * Connect gives a sink task an errant record reporter only when a report has somewhere to go: a dead
 * letter queue topic or errors.log.enable (SinkConnectorConfig.enableErrantRecordReporter).
 */
export function needsErrantRecordReporter(config: ErrorHandlingConfig): boolean {
  return config.deadLetterQueueTopic !== '' || config.logEnable;
}
