import { retryWithBackoff, systemRetryClock, type RetryClock } from './retry-with-backoff.js';
import { isRetryable, SluiceError } from './sluice-error.js';

/**
 * How long a worker keeps retrying retriable errors while it starts before it gives up. Kafka
 * Connect's KafkaBasedLog allows 15 minutes for a new topic's metadata to propagate; five minutes
 * covers a broker restart or a controller election, and a supervisor that restarts the process
 * after that loses nothing (a starting worker runs no task yet).
 */
export const DEFAULT_STARTUP_TIMEOUT_MS = 300_000;
const INITIAL_DELAY_MS = 200;
const MAX_DELAY_MS = 5_000;

function summary(error: unknown): string {
  if (error instanceof SluiceError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * One deadline for every step of a worker's start-up (creating and reading the internal topics,
 * joining the group): each step is retried with exponential backoff while its errors are retryable,
 * until the deadline; then the step fails with WORKER_STARTUP_TIMEOUT naming it and its last error.
 * A non-retryable error fails the step at once, unchanged.
 */
export class StartupDeadline {
  private readonly expiresAt: number;

  constructor(
    readonly timeoutMs = DEFAULT_STARTUP_TIMEOUT_MS,
    private readonly clock: RetryClock = systemRetryClock,
    private readonly random: () => number = Math.random,
  ) {
    this.expiresAt = clock.now() + timeoutMs;
  }

  async retry<T>(
    step: string,
    operation: () => Promise<T>,
    onRetry?: (error: unknown, delayMs: number) => void,
  ): Promise<T> {
    try {
      return await retryWithBackoff(operation, {
        // 0 left: one last attempt, as retryWithBackoff treats a zero budget.
        timeoutMs: Math.max(0, this.expiresAt - this.clock.now()),
        initialDelayMs: INITIAL_DELAY_MS,
        maxDelayMs: MAX_DELAY_MS,
        clock: this.clock,
        random: this.random,
        onRetry: (_attempt, error, delayMs) => onRetry?.(error, delayMs),
      });
    } catch (error) {
      if (!isRetryable(error)) throw error;
      throw new SluiceError('WORKER_STARTUP_TIMEOUT', [this.timeoutMs, step, summary(error)], {
        cause: error,
      });
    }
  }
}
