/** A point-in-time copy of the counters, named after Connect's task-error-metrics MBean attributes. */
export interface ErrorHandlingMetricsSnapshot {
  /** Every failed attempt, retryable or not ("total-record-failures"). */
  readonly totalRecordFailures: number;
  /** Operations that failed for good after any retries ("total-record-errors"). */
  readonly totalRecordErrors: number;
  /** Records skipped because errors.tolerance=all ("total-records-skipped"). */
  readonly totalRecordsSkipped: number;
  /** Retries made ("total-retries"). */
  readonly totalRetries: number;
  /** Failures written to the log by the log reporter ("total-errors-logged"). */
  readonly totalErrorsLogged: number;
  readonly deadLetterQueueProduceRequests: number;
  readonly deadLetterQueueProduceFailures: number;
  /** epoch ms of the last failure, 0 when none ("last-error-timestamp"). */
  readonly lastErrorTimestamp: number;
}

/** Counters for one task's error handling, shared by the error handler and its reporters. */
export class ErrorHandlingMetrics {
  private failures = 0;
  private errors = 0;
  private skipped = 0;
  private retries = 0;
  private logged = 0;
  private dlqRequests = 0;
  private dlqFailures = 0;
  private lastErrorAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  recordFailure(): void {
    this.failures++;
  }

  recordError(): void {
    this.errors++;
    this.lastErrorAt = this.now();
  }

  recordSkipped(): void {
    this.skipped++;
  }

  recordRetry(): void {
    this.retries++;
  }

  recordErrorLogged(): void {
    this.logged++;
  }

  recordDeadLetterQueueProduceRequest(): void {
    this.dlqRequests++;
  }

  recordDeadLetterQueueProduceFailed(): void {
    this.dlqFailures++;
  }

  snapshot(): ErrorHandlingMetricsSnapshot {
    return {
      totalRecordFailures: this.failures,
      totalRecordErrors: this.errors,
      totalRecordsSkipped: this.skipped,
      totalRetries: this.retries,
      totalErrorsLogged: this.logged,
      deadLetterQueueProduceRequests: this.dlqRequests,
      deadLetterQueueProduceFailures: this.dlqFailures,
      lastErrorTimestamp: this.lastErrorAt,
    };
  }
}
