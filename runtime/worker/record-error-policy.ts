import type { ProcessingContext } from '../errors/error-reporter.js';
import type { Stage } from '../errors/stage.js';

/** Returned instead of a value when a failure was tolerated (errors.tolerance=all): the record is skipped. */
export const SKIPPED: unique symbol = Symbol('skipped');
export type Skipped = typeof SKIPPED;

/**
 * How the worker runs each per-record stage (convert, transform, put, produce) under the connector's
 * errors.* settings: retries, tolerance, log and dead letter queue reporting. A failure that is not
 * tolerated throws (and fails the task).
 */
export interface RecordErrorPolicy {
  executeSync<T>(stage: Stage, operation: () => T, context: ProcessingContext): T | Skipped;
  execute<T>(stage: Stage, operation: () => Promise<T>, context: ProcessingContext): Promise<T | Skipped>;
  /** Whether failures may be skipped at all (errors.tolerance=all). */
  readonly toleratesErrors: boolean;
  close(): Promise<void>;
}
