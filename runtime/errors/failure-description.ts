import type { ErrorReport } from './error-reporter.js';
import type { Stage } from './stage.js';

const skipHint =
  'or set errors.tolerance=all to skip such records (add errors.deadletterqueue.topic.name to keep them)';

/** What the operator should look at when a stage fails; it ends up in the FAILED task's trace. */
const fixHints: Readonly<Record<Stage, string>> = {
  KEY_CONVERTER: `Check that key.converter (and key.converter.schemas.enable) matches how the record keys on the topic were written, ${skipHint}.`,
  VALUE_CONVERTER: `Check that value.converter (and value.converter.schemas.enable) matches how the record values on the topic were written, ${skipHint}.`,
  HEADER_CONVERTER: `Check that header.converter matches how the record headers were written, ${skipHint}.`,
  TRANSFORMATION: `Check the transforms.* settings of this transformation against the shape of the failing record (use a predicate to apply it only to matching records), ${skipHint}.`,
  TASK_PUT:
    'Fix the cause in the destination system or the connector configuration; retriable failures are retried for errors.retry.timeout ms.',
  TASK_POLL:
    'Fix the cause in the source system or the connector configuration; retriable failures are retried for errors.retry.timeout ms.',
  KAFKA_PRODUCE:
    'Check that Kafka is reachable and that the topic exists and accepts the record (size limits, ACLs); retriable failures are retried for errors.retry.timeout ms.',
  KAFKA_CONSUME:
    'Check that Kafka is reachable and that the consumer may read the topic; retriable failures are retried for errors.retry.timeout ms.',
};

export function fixHintFor(stage: Stage): string {
  return fixHints[stage];
}

export function errorMessageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The class name Connect writes to `__connect.errors.exception.class.name`; for us the JS constructor. */
export function errorClassNameOf(error: unknown): string {
  if (error instanceof Error) return error.constructor.name || error.name;
  return error === null ? 'null' : typeof error;
}

/** "record topic=orders partition=2 offset=17", or the source record's topic and source offset. */
export function describeRecord(report: Pick<ErrorReport, 'consumedRecord' | 'sourceRecord'>): string | null {
  const consumed = report.consumedRecord;
  if (consumed !== undefined)
    return `record topic=${consumed.topic} partition=${consumed.partition} offset=${consumed.offset}`;
  const source = report.sourceRecord;
  if (source !== undefined) {
    return `source record for topic ${source.topic} (source partition ${JSON.stringify(source.sourcePartition)}, source offset ${JSON.stringify(source.sourceOffset)})`;
  }
  return null;
}

/**
 * One line saying where it failed and why, e.g. "Stage VALUE_CONVERTER failed in JsonConverter on
 * record topic=orders partition=0 offset=42 (connector pg-sink, task 0): Unexpected token". The hint
 * is appended by the caller that decides the outcome.
 */
export function describeFailure(report: ErrorReport): string {
  const where = report.executingClass === undefined ? '' : ` in ${report.executingClass}`;
  const record = describeRecord(report);
  const on = record === null ? '' : ` on ${record}`;
  const attempts = report.attempts > 1 ? ` after ${report.attempts} attempts` : '';
  return `Stage ${report.stage} failed${where}${on} (connector ${report.connector}, task ${report.taskId})${attempts}: ${errorMessageOf(report.error)}`;
}
