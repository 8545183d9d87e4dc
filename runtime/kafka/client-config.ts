/** Connection settings the runtime passes to the Kafka seam, taken from worker config keys. */
export interface KafkaConnection {
  /** `bootstrap.servers`, comma separated host:port */
  readonly bootstrapServers: string;
  readonly clientId: string;
  /** request.timeout.ms */
  readonly requestTimeoutMs?: number;
  /** How long to keep retrying the first connection before giving up. */
  readonly connectionRetryMs?: number;
  /**
   * The client properties every client of this connection starts from (the worker's top-level keys);
   * their `security.protocol`, `ssl.*` and `sasl.*` keys apply to all clients, and a client's own
   * overrides (`producer.*`, `producer.override.*`, ...) are laid over them.
   */
  readonly properties?: Readonly<Record<string, string>>;
}

/** How an override was written: `producer.` (worker) or `producer.override.` (connector). */
export type ClientRole = 'producer' | 'consumer' | 'admin';

export function brokersOf(bootstrapServers: string): string[] {
  return bootstrapServers
    .split(',')
    .map((s) => s.trim().replace(/^[A-Za-z_]+:\/\//, ''))
    .filter((s) => s !== '');
}
