import { SluiceError } from '../../../runtime/api/index.js';
import type { CdcSettings } from './config.js';
import { errorMessage, isConnectionLoss } from './connection-loss.js';
import type { RetryBudget } from './retry-budget.js';

/** What a failed start attempt means: wait and try again, or give up with `error`. */
export type StartVerdict =
  | { readonly retry: true; readonly attempt: number; readonly warning: string }
  | { readonly retry: false; readonly error: unknown };

type StartRetrySettings = Pick<CdcSettings, 'host' | 'port' | 'slotName' | 'maxRetries' | 'retryWaitMs'>;

/**
 * Debezium's BaseSourceTask: a start that fails with a retriable error does not fail the task; the task is
 * RUNNING and poll() tries the start again once `retriable.restart.connector.wait.ms` has passed (a constant
 * wait, measured from the failure). Here "retriable" is a lost or refused connection (the classification of
 * connection-loss.ts), and each retry takes one attempt from the errors.max.retries budget the streaming
 * reconnects use too; any other error (wal_level, permissions, missing publication, bad password) fails.
 */
export class StartRetry {
  private dueAt: number | null = null;
  private failedAttempts = 0;

  constructor(
    private readonly budget: RetryBudget,
    private readonly settings: StartRetrySettings,
    private readonly now: () => number = Date.now,
  ) {}

  /** True while the task has not connected yet and a retry is scheduled. */
  get pending(): boolean {
    return this.dueAt !== null;
  }

  /** Start attempts that failed so far (the first one included). */
  get failures(): number {
    return this.failedAttempts;
  }

  /** How long poll() still has to wait before the next attempt (0: now). */
  msUntilDue(): number {
    return this.dueAt === null ? 0 : Math.max(0, this.dueAt - this.now());
  }

  /** Decides about a failed attempt; `socketClosed` tells whether one of its connections closed under it. */
  failed(error: unknown, socketClosed: boolean): StartVerdict {
    this.failedAttempts++;
    if (!isConnectionLoss(error, socketClosed)) {
      this.dueAt = null;
      return { retry: false, error };
    }
    const attempt = this.budget.take();
    const { host, port, slotName, maxRetries, retryWaitMs } = this.settings;
    if (attempt === null) {
      this.dueAt = null;
      return {
        retry: false,
        error: new SluiceError(
          'PG_CDC_CONNECT_FAILED',
          [host, port, this.failedAttempts, maxRetries, retryWaitMs, errorMessage(error)],
          { cause: error },
        ),
      };
    }
    this.dueAt = this.now() + retryWaitMs;
    return {
      retry: true,
      attempt,
      warning: `Could not connect to PostgreSQL at ${host}:${port} to start the task (slot ${slotName}): ${errorMessage(error)}; start attempt ${this.failedAttempts + 1} (retry ${attempt} of ${this.budget.limit}) in ${retryWaitMs} ms`,
    };
  }

  /** The start went through: nothing pending any more. */
  succeeded(): void {
    this.dueAt = null;
  }
}
