/** Connection settings the runtime passes to the Kafka seam, taken from worker config keys. */
export interface KafkaConnection {
  /** `bootstrap.servers`, comma separated host:port */
  readonly bootstrapServers: string;
  readonly clientId: string;
  /** request.timeout.ms */
  readonly requestTimeoutMs?: number;
  /** How long to keep retrying the first connection before giving up. */
  readonly connectionRetryMs?: number;
}

export function brokersOf(bootstrapServers: string): string[] {
  return bootstrapServers
    .split(',')
    .map((s) => s.trim().replace(/^[A-Za-z_]+:\/\//, ''))
    .filter((s) => s !== '');
}
