import type { KafkaAdmin } from '../kafka/types.js';

/** How long a health check waits for Kafka to answer a metadata request before calling it unreachable. */
export const KAFKA_HEALTH_TIMEOUT_MS = 3000;

/**
 * Answers "can this worker reach Kafka right now?" for GET /health, with one metadata request on a
 * long-lived admin client. Kafka clients retry for tens of seconds before reporting a dead cluster;
 * a health check must say so within seconds, so each check waits at most `timeoutMs`. Concurrent
 * checks share one request, so a busy health endpoint never floods Kafka.
 */
export class KafkaReachability {
  private admin: Promise<KafkaAdmin> | null = null;
  private check: Promise<string | null> | null = null;

  constructor(
    private readonly connect: () => Promise<KafkaAdmin>,
    private readonly timeoutMs = KAFKA_HEALTH_TIMEOUT_MS,
  ) {}

  /** Null when Kafka answered within the timeout; otherwise why this worker cannot use it. */
  problem(): Promise<string | null> {
    this.check ??= this.probe().finally(() => {
      this.check = null;
    });
    return this.check;
  }

  /** Drops the client. A connect still retrying (Kafka down) must not hold up shutdown: it is closed once it ends. */
  close(): void {
    const admin = this.admin;
    this.admin = null;
    void admin?.then((a) => a.close()).catch(() => undefined);
  }

  private connectedAdmin(): Promise<KafkaAdmin> {
    if (this.admin === null) {
      const admin = this.connect();
      this.admin = admin;
      // A failed connect is forgotten, so the next check tries again; a slow one is waited for, not repeated.
      admin.catch(() => {
        if (this.admin === admin) this.admin = null;
      });
    }
    return this.admin;
  }

  private async ask(): Promise<void> {
    const admin = await this.connectedAdmin();
    try {
      await admin.clusterId();
    } catch (error) {
      // The client may be wedged on a dead connection: the next check starts afresh.
      this.close();
      throw error;
    }
  }

  private async probe(): Promise<string | null> {
    const answer = this.ask().then(() => null);
    // Still observed after a timeout: a late failure must not become an unhandled rejection.
    answer.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(
        () => resolve(`Kafka did not answer a metadata request within ${this.timeoutMs} ms`),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([answer, timeout]);
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    } finally {
      clearTimeout(timer);
    }
  }
}
