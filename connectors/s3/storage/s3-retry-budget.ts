import { SluiceError, retriableError } from '../../../runtime/api/index.js';
import { classifyS3Failure, describeS3Failure } from './s3-failure.js';

/**
 * Turns S3 failures into the errors a task throws: retriable while the failure has lasted less than
 * errors.retry.timeout (-1: for ever), then the SluiceError naming the cause. A request S3 refused for a reason
 * that will not change (a bad request) fails at once.
 */
export class S3RetryBudget {
  private failingSince: number | null = null;

  constructor(
    private readonly where: string,
    private readonly retryTimeoutMs: number,
  ) {}

  /** A request succeeded: the next failure starts a new budget. */
  succeeded(): void {
    this.failingSince = null;
  }

  errorFor(error: unknown, retrying: string): Error {
    if (error instanceof SluiceError) return error;
    const reason = describeS3Failure(error);
    const kind = classifyS3Failure(error);
    if (kind === 'refused')
      return new SluiceError('S3_REQUEST_FAILED', [this.where, reason], { cause: error });
    const now = Date.now();
    this.failingSince ??= now;
    const failingFor = now - this.failingSince;
    if (this.retryTimeoutMs >= 0 && failingFor >= this.retryTimeoutMs) {
      const detail = `${reason}; still failing after ${failingFor} ms, errors.retry.timeout=${this.retryTimeoutMs} ms`;
      const code =
        kind === 'no-bucket'
          ? 'S3_BUCKET_NOT_FOUND'
          : kind === 'access-denied'
            ? 'S3_ACCESS_DENIED'
            : 'S3_UNREACHABLE';
      return new SluiceError(code, [this.where, detail], { cause: error });
    }
    return retriableError(`${this.where}: ${reason}; ${retrying}`, error);
  }
}
