import type { Logger } from '../api/logger.js';
import type { KafkaLog, LogEntry } from '../storage/kafka-log.js';
import { parseTenantDirectory, type TenantDirectory } from './tenant-directory.js';

/** Where the tenants come from now: a file re-read on change, or a compacted topic. */
export interface TenantSource {
  readonly current: TenantDirectory;
}

const EMPTY: TenantDirectory = { principals: new Map(), tenants: new Map() };

/**
 * Tenants and principals kept in a compacted Kafka topic (`tenants.topic`), so every worker of a
 * distributed cluster sees the same ones and a change needs no restart and no file on each host. One
 * record per entry, the same JSON as an entry of the tenants file: key `tenant:<name>` (its limits) or
 * `principal:<name>` (its role and tenant); a tombstone removes the entry. Every worker reads the topic
 * from the beginning at start and then tails it. A change that leaves the whole inconsistent (a
 * principal of a tenant that is gone) is logged and the last consistent content stays in force.
 */
export class TenantTopic implements TenantSource {
  private readonly entries = new Map<string, unknown>();
  private directory: TenantDirectory = EMPTY;
  private log: KafkaLog | null = null;

  constructor(
    readonly topic: string,
    private readonly logger: Logger,
  ) {}

  get current(): TenantDirectory {
    return this.directory;
  }

  /** Reads the topic to its end (creating it when missing), then keeps tailing it. */
  async start(log: KafkaLog): Promise<void> {
    this.log = log;
    await log.start((entry) => this.apply(entry));
    this.logger.info(
      `tenants from topic ${this.topic}: ${this.directory.tenants.size} tenant(s), ${this.directory.principals.size} principal(s)`,
    );
  }

  async stop(): Promise<void> {
    await this.log?.stop();
  }

  private apply(entry: LogEntry): void {
    const key = entry.key ?? '';
    if (!/^(tenant|principal):./.test(key)) {
      this.logger.warn(
        `tenants topic ${this.topic}: record with key '${key}' ignored (tenant:<name> or principal:<name>)`,
      );
      return;
    }
    if (entry.value === null) this.entries.delete(key);
    else {
      try {
        this.entries.set(key, JSON.parse(entry.value.toString('utf8')));
      } catch (error) {
        this.logger.error(`tenants topic ${this.topic}: record ${key} is not JSON; ignored`, {
          error: (error as Error).message,
        });
        return;
      }
    }
    const document: { tenants: Record<string, unknown>; principals: Record<string, unknown> } = {
      tenants: {},
      principals: {},
    };
    for (const [k, value] of this.entries) {
      const [kind, ...rest] = k.split(':');
      (kind === 'tenant' ? document.tenants : document.principals)[rest.join(':')] = value;
    }
    try {
      this.directory = parseTenantDirectory(JSON.stringify(document), `tenants topic ${this.topic}`);
    } catch (error) {
      this.logger.error(
        `tenants topic ${this.topic}: after record ${key} the tenants do not hold together; the last good content stays in force`,
        { error: (error as Error).message },
      );
    }
  }
}
