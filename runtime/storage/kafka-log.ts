/** One record of an internal topic, as the stores see it (keys are Connect's UTF-8 string keys). */
export interface LogEntry {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly partition: number;
  readonly offset: number;
}

export interface LogWrite {
  readonly key: string;
  /** null writes a tombstone. */
  readonly value: Buffer | null;
}

/**
 * An internal topic seen as a replicated log (Connect's KafkaBasedLog): every worker reads it from the
 * beginning and keeps tailing it; writes become visible to everyone, the writer included, through the reader.
 */
export interface KafkaLog {
  /** The internal topic this log reads and writes. */
  readonly topic: string;
  /** Creates the topic when missing, then delivers every record; resolves once caught up with the end. */
  start(onRecord: (entry: LogEntry) => void): Promise<void>;
  /** Resolves once Kafka acknowledged every record (in order, on the partitions their keys hash to). */
  send(records: readonly LogWrite[]): Promise<void>;
  /** Resolves once every record written before the call has been delivered to onRecord. */
  readToEnd(): Promise<void>;
  stop(): Promise<void>;
}

export const jsonBytes = (value: unknown): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

/** Parses a record value as a JSON object; anything else (corrupt or foreign record) is undefined. */
export function parseJsonObject(value: Buffer | null): Record<string, unknown> | undefined {
  if (value === null) return undefined;
  try {
    const parsed: unknown = JSON.parse(value.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
