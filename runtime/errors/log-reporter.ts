import type { Logger } from '../api/logger.js';
import type { ErrorHandlingMetrics } from './error-handling-metrics.js';
import type { ErrorReport, ErrorReporter } from './error-reporter.js';
import { errorClassNameOf, errorMessageOf } from './failure-description.js';
import { printableBytes } from './printable-bytes.js';
import { traceOf } from './sluice-error.js';

export interface LogReporterOptions {
  readonly logger: Logger;
  /** errors.log.include.messages: also log the record's coordinates, key, value and headers. */
  readonly includeMessages: boolean;
  readonly metrics?: ErrorHandlingMetrics;
}

/**
 * errors.log.enable: writes each failure to the task's log at ERROR, worded like Connect's LogReporter
 * ("Error encountered in task <connector>-<task>. Executing stage ... with class ..."). Record contents
 * stay out of the log unless errors.log.include.messages is set, since they may hold personal data.
 */
export class LogReporter implements ErrorReporter {
  constructor(private readonly options: LogReporterOptions) {}

  report(report: ErrorReport): void {
    const fields: Record<string, unknown> = {
      connector: report.connector,
      task: report.taskId,
      stage: report.stage,
      class: report.executingClass ?? null,
      attempts: report.attempts,
      errorClass: errorClassNameOf(report.error),
      errorMessage: errorMessageOf(report.error),
      trace: traceOf(report.error),
    };
    let where = '';
    if (this.options.includeMessages) {
      const consumed = report.consumedRecord;
      const source = report.sourceRecord;
      if (consumed !== undefined) {
        where = `, where consumed record is {topic='${consumed.topic}', partition=${consumed.partition}, offset=${consumed.offset}}`;
        fields.record = {
          topic: consumed.topic,
          partition: consumed.partition,
          offset: consumed.offset,
          timestamp: consumed.timestamp,
          key: printableBytes(consumed.key),
          value: printableBytes(consumed.value),
          headers: consumed.headers.map((h) => ({ key: h.key, value: printableBytes(h.value) })),
        };
      } else if (source !== undefined) {
        where = `, where source record is for topic '${source.topic}'`;
        fields.record = {
          topic: source.topic,
          kafkaPartition: source.kafkaPartition,
          sourcePartition: source.sourcePartition,
          sourceOffset: source.sourceOffset,
          timestamp: source.timestamp,
          key: source.key,
          value: source.value,
          headers: source.headers.map((h) => ({ key: h.key, value: h.value })),
        };
      }
    }
    const message =
      `Error encountered in task ${report.connector}-${report.taskId}. ` +
      `Executing stage '${report.stage}' with class '${report.executingClass ?? 'null'}'${where}.`;
    this.options.logger.error(message, fields);
    this.options.metrics?.recordErrorLogged();
  }
}
