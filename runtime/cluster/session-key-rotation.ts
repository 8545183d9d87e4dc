import { randomBytes } from 'node:crypto';
import type { Logger } from '../api/logger.js';
import type { ClusterConfigStore, SessionKey } from '../storage/cluster-config-store.js';

/** Connect's `inter.worker.key.generation.algorithm` default, and the size of its generated keys. */
export const SESSION_KEY_ALGORITHM = 'HmacSHA256';
const SESSION_KEY_BYTES = 32;

/** After a failed write, the leader tries again this much later (Connect retries at its next tick). */
const RETRY_MS = 10_000;

export interface SessionKeyRotationOptions {
  readonly store: Pick<ClusterConfigStore, 'sessionKey' | 'putSessionKey' | 'readToEnd'>;
  /** `inter.worker.key.ttl.ms`; 0 never rotates a key once written. */
  readonly ttlMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

/**
 * Keeps a `session-key` record in the config topic, as Connect's leader does (DistributedHerder's
 * checkForKeyRotation): the leader writes one when there is none, when it expired
 * (`creation-timestamp` + `inter.worker.key.ttl.ms`) or when it is not an HmacSHA256 key of 256 bits.
 * Sluice workers do not sign their requests to each other; the record is there so that Java workers
 * (Connect, MirrorMaker 2) joining or taking over the group find the topic as they would have written it.
 */
export class SessionKeyRotation {
  private leading = false;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(private readonly options: SessionKeyRotationOptions) {
    this.now = options.now ?? Date.now;
  }

  /** After each rebalance: only the leader writes keys. */
  onRebalance(isLeader: boolean): Promise<void> {
    this.leading = isLeader;
    this.clearTimer();
    return isLeader ? this.check() : Promise.resolve();
  }

  onMembershipLost(): void {
    this.leading = false;
    this.clearTimer();
  }

  stop(): void {
    this.stopped = true;
    this.leading = false;
    this.clearTimer();
  }

  /** Writes a new key if needed, then waits for the current one to expire; resolves once checked. */
  check(): Promise<void> {
    this.checking = this.checking.then(() => this.checkNow());
    return this.checking;
  }

  private async checkNow(): Promise<void> {
    if (!this.leading || this.stopped) return;
    const { store, ttlMs, logger } = this.options;
    let nextCheckMs: number;
    let failed = false;
    try {
      await store.readToEnd();
      const current = store.sessionKey();
      const now = this.now();
      if (current === undefined || this.expired(current, now) || !this.wellFormed(current)) {
        await store.putSessionKey({
          key: randomBytes(SESSION_KEY_BYTES).toString('base64'),
          algorithm: SESSION_KEY_ALGORITHM,
          creationTimestamp: now,
        });
        logger.debug(current === undefined ? 'wrote a session key' : 'rotated the session key');
        nextCheckMs = ttlMs;
      } else {
        nextCheckMs = current.creationTimestamp + ttlMs - now;
      }
    } catch (error) {
      logger.warn(`could not write a session key to the config topic; retrying in ${RETRY_MS} ms`, {
        error: String(error),
      });
      nextCheckMs = RETRY_MS;
      failed = true;
    }
    if (ttlMs > 0 || failed) this.schedule(nextCheckMs);
  }

  private expired(key: SessionKey, now: number): boolean {
    return this.options.ttlMs > 0 && key.creationTimestamp + this.options.ttlMs <= now;
  }

  private wellFormed(key: SessionKey): boolean {
    return (
      key.algorithm === SESSION_KEY_ALGORITHM && Buffer.from(key.key, 'base64').length === SESSION_KEY_BYTES
    );
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    if (!this.leading || this.stopped) return;
    this.timer = setTimeout(() => void this.check(), Math.max(0, delayMs));
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
