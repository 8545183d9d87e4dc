import { isRetryable as isRetryableSluiceError } from './sluice-error.js';

/** Connect's `RETRIES_DELAY_MIN_MS`: the first backoff ceiling when none is configured. */
export const DEFAULT_INITIAL_RETRY_DELAY_MS = 300;

/** `timeoutMs` value that retries for ever, as Connect's `errors.retry.timeout=-1`. */
export const RETRY_FOREVER = -1;

/** Time as retryWithBackoff sees it; swapped for a fake one in tests so they need not wait. */
export interface RetryClock {
  now(): number;
  /** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface RetryOptions {
  /** Total time budget for all attempts, in ms. 0 = a single attempt, -1 = retry for ever. */
  readonly timeoutMs: number;
  /** Upper bound of one backoff sleep (`errors.retry.delay.max.ms`). */
  readonly maxDelayMs: number;
  /** Ceiling of the first backoff; doubles on each retry until maxDelayMs. Default 300 ms. */
  readonly initialDelayMs?: number;
  /** Decides whether a failure may be retried; default: the error code's `retryable` flag. */
  readonly isRetryable?: (error: unknown) => boolean;
  /** Aborting stops the loop at once, including a pending backoff sleep; the promise rejects with `signal.reason`. */
  readonly signal?: AbortSignal;
  /** Called before each backoff sleep; `attempt` is the number of the attempt that just failed (1-based). */
  readonly onRetry?: (attempt: number, error: unknown, delayMs: number) => void;
  /** Returns a number in [0, 1); the jitter source. Default Math.random. */
  readonly random?: () => number;
  readonly clock?: RetryClock;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const systemRetryClock: RetryClock = { now: () => Date.now(), sleep: abortableSleep };

/**
 * The backoff before retry number `retry` (1-based): "full jitter", a uniform pick in
 * [0, min(maxDelayMs, initialDelayMs * 2^(retry-1))]. Jitter spreads the retries of many tasks that
 * failed together (a broker restart) so they do not hammer the service in lock-step.
 */
export function backoffDelay(
  retry: number,
  initialDelayMs: number,
  maxDelayMs: number,
  random: () => number,
): number {
  const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `operation` until it succeeds, fails with an error that is not retryable, or the time budget
 * runs out; then the last error is rethrown unchanged. The final attempt may start right at the
 * deadline (the last sleep is shortened to end there), as in Connect's RetryWithToleranceOperator.
 */
export async function retryWithBackoff<T>(operation: () => Promise<T>, options: RetryOptions): Promise<T> {
  const clock = options.clock ?? systemRetryClock;
  const random = options.random ?? Math.random;
  const retryable = options.isRetryable ?? isRetryableSluiceError;
  const initialDelayMs = options.initialDelayMs ?? DEFAULT_INITIAL_RETRY_DELAY_MS;
  const { signal, timeoutMs } = options;
  const startedAt = clock.now();
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await operation();
    } catch (error) {
      signal?.throwIfAborted();
      if (timeoutMs === 0 || !retryable(error)) throw error;
      let delayMs = backoffDelay(attempt, initialDelayMs, options.maxDelayMs, random);
      if (timeoutMs !== RETRY_FOREVER) {
        const remainingMs = startedAt + timeoutMs - clock.now();
        if (remainingMs <= 0) throw error;
        delayMs = Math.min(delayMs, remainingMs);
      }
      options.onRetry?.(attempt, error, delayMs);
      await clock.sleep(delayMs, signal);
    }
  }
}
