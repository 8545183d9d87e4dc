import type { ErrorHandlingConfig, ToleranceType } from './error-handling-config.js';
import { ErrorHandlingMetrics } from './error-handling-metrics.js';
import type { ErrorReport, ErrorReporter, ProcessingContext } from './error-reporter.js';
import { describeFailure, fixHintFor } from './failure-description.js';
import { retryWithBackoff, type RetryClock } from './retry-with-backoff.js';
import { isRetryable, SluiceError } from './sluice-error.js';
import { toleratesAnyError, type Stage } from './stage.js';

/** What execute returns instead of a value when errors.tolerance=all skipped the record. */
export class ToleratedFailure {
  constructor(
    readonly stage: Stage,
    readonly error: unknown,
  ) {}
}

export function isToleratedFailure(value: unknown): value is ToleratedFailure {
  return value instanceof ToleratedFailure;
}

export interface ErrorHandlerOptions {
  /** errors.retry.timeout: 0 = no retries, -1 = retry for ever. */
  readonly retryTimeoutMs: number;
  /** errors.retry.delay.max.ms */
  readonly retryMaxDelayMs: number;
  readonly tolerance: ToleranceType;
  readonly reporters: readonly ErrorReporter[];
  readonly metrics?: ErrorHandlingMetrics;
  /** The task's stop signal: aborting ends a retry loop at once, without reporting a failure. */
  readonly signal?: AbortSignal;
  /** Deterministic retry timing for tests. */
  readonly clock?: RetryClock;
  readonly random?: () => number;
}

/**
 * Kafka Connect's RetryWithToleranceOperator for one task: runs a pipeline stage, retries retryable
 * failures with backoff, reports every final failure to the log / dead letter queue, then either
 * skips the record (errors.tolerance=all) or fails the task with a message that says what to fix.
 */
export class ErrorHandler {
  readonly metrics: ErrorHandlingMetrics;
  private readonly pendingReports = new Set<Promise<void>>();
  private failedReports: unknown[] = [];

  constructor(private readonly options: ErrorHandlerOptions) {
    this.metrics = options.metrics ?? new ErrorHandlingMetrics();
  }

  static fromConfig(
    config: ErrorHandlingConfig,
    reporters: readonly ErrorReporter[],
    extra: Omit<ErrorHandlerOptions, 'retryTimeoutMs' | 'retryMaxDelayMs' | 'tolerance' | 'reporters'> = {},
  ): ErrorHandler {
    return new ErrorHandler({
      ...extra,
      retryTimeoutMs: config.retryTimeoutMs,
      retryMaxDelayMs: config.retryMaxDelayMs,
      tolerance: config.tolerance,
      reporters,
    });
  }

  get tolerance(): ToleranceType {
    return this.options.tolerance;
  }

  /**
   * Runs an asynchronous stage (poll, put, produce) with retries. Resolves to the operation's value,
   * or to a ToleratedFailure when the record was skipped; rejects with TOLERANCE_EXCEEDED or
   * ERROR_NOT_TOLERATED when the task must fail, or with the abort reason when the task is stopping.
   */
  async execute<T>(
    stage: Stage,
    operation: () => T | Promise<T>,
    context: ProcessingContext,
  ): Promise<T | ToleratedFailure> {
    let attempts = 0;
    const { signal } = this.options;
    try {
      return await retryWithBackoff(
        async () => {
          attempts++;
          if (attempts > 1) this.metrics.recordRetry();
          return operation();
        },
        {
          timeoutMs: this.options.retryTimeoutMs,
          maxDelayMs: this.options.retryMaxDelayMs,
          onRetry: () => this.metrics.recordFailure(),
          ...(signal === undefined ? {} : { signal }),
          ...(this.options.clock === undefined ? {} : { clock: this.options.clock }),
          ...(this.options.random === undefined ? {} : { random: this.options.random }),
        },
      );
    } catch (error) {
      // Stopping is not a record failure: nothing to report, nothing to skip.
      if (signal?.aborted) throw error;
      return this.handleFinalFailure(stage, error, Math.max(attempts, 1), context);
    }
  }

  /**
   * The per-record fast path for synchronous stages (converters, transforms): no promise, no retry.
   * Sluice's converter and transform failures (CONVERSION_FAILED, TRANSFORMATION_FAILED, DATA_INVALID)
   * are not retryable, so retrying them could never help; use execute for stages that can be retried.
   */
  executeSync<T>(stage: Stage, operation: () => T, context: ProcessingContext): T | ToleratedFailure {
    try {
      return operation();
    } catch (error) {
      return this.handleFinalFailure(stage, error, 1, context);
    }
  }

  /**
   * The failure half of executeSync, for hot loops that run the operation inline in their own
   * try/catch (no closure per record): reports, then returns a ToleratedFailure or throws.
   */
  failSync(stage: Stage, error: unknown, context: ProcessingContext): ToleratedFailure {
    return this.handleFinalFailure(stage, error, 1, context);
  }

  /**
   * Connect's executeFailed: a failure that happened outside execute (a sink task reporting an errant
   * record, a failed produce callback). Reports it; with errors.tolerance=none rejects with
   * TOLERANCE_EXCEEDED, otherwise resolves once every reporter has durably recorded it.
   */
  reportFailure(stage: Stage, error: unknown, context: ProcessingContext): Promise<void> {
    this.metrics.recordFailure();
    this.metrics.recordError();
    const report: ErrorReport = { ...context, stage, error, attempts: 1 };
    const written = this.dispatch(report);
    if (this.options.tolerance === 'none') {
      return Promise.reject(this.toleranceExceeded(report));
    }
    this.metrics.recordSkipped();
    return written;
  }

  /**
   * Waits for every report still in flight (DLQ writes) and rethrows the first one that failed since
   * the last call. The worker calls this before committing offsets, so that an offset never moves past
   * a record that was neither written nor dead-lettered.
   */
  async awaitReports(): Promise<void> {
    while (this.pendingReports.size > 0) await Promise.all([...this.pendingReports]);
    const [first] = this.failedReports;
    this.failedReports = [];
    if (first !== undefined) throw first;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.pendingReports]);
    for (const reporter of this.options.reporters) await reporter.close?.();
  }

  private handleFinalFailure(
    stage: Stage,
    error: unknown,
    attempts: number,
    context: ProcessingContext,
  ): ToleratedFailure {
    this.metrics.recordFailure();
    this.metrics.recordError();
    const report: ErrorReport = { ...context, stage, error, attempts };
    void this.dispatch(report);
    if (this.options.tolerance === 'none') throw this.toleranceExceeded(report);
    if (!toleratesAnyError(stage) && !isRetryable(error)) {
      throw new SluiceError(
        'ERROR_NOT_TOLERATED',
        [
          `${describeFailure(report)}. errors.tolerance=all skips converter and transformation failures and retriable errors only; ${fixHintFor(stage)}`,
        ],
        { cause: error },
      );
    }
    this.metrics.recordSkipped();
    return new ToleratedFailure(stage, error);
  }

  private toleranceExceeded(report: ErrorReport): SluiceError {
    return new SluiceError(
      'TOLERANCE_EXCEEDED',
      [`${describeFailure(report)}. ${fixHintFor(report.stage)}`],
      {
        cause: report.error,
      },
    );
  }

  /**
   * Hands the report to every reporter. Reports are tracked rather than awaited so the synchronous
   * path stays synchronous; the returned promise rejects when any reporter failed to record it.
   */
  private dispatch(report: ErrorReport): Promise<void> {
    const inFlight: Promise<void>[] = [];
    for (const reporter of this.options.reporters) {
      try {
        const result = reporter.report(report);
        if (result !== undefined) inFlight.push(this.track(result));
      } catch (error) {
        this.failedReports.push(error);
        inFlight.push(Promise.reject(error));
      }
    }
    const all = Promise.all(inFlight).then(() => undefined);
    // Marked handled here; a caller that awaits it still sees the rejection.
    all.catch(() => undefined);
    return all;
  }

  private track(report: Promise<void>): Promise<void> {
    const settled = report.then(
      () => {
        this.pendingReports.delete(settled);
      },
      (error: unknown) => {
        this.pendingReports.delete(settled);
        this.failedReports.push(error);
      },
    );
    this.pendingReports.add(settled);
    return report;
  }
}
