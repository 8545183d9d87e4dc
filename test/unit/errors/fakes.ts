import type { Logger } from '../../../runtime/api/logger.js';
import type { ConsumedRecord } from '../../../runtime/errors/consumed-record.js';
import type {
  DeadLetterQueueProducer,
  DeadLetterQueueRecord,
} from '../../../runtime/errors/dead-letter-queue-reporter.js';
import type { RetryClock } from '../../../runtime/errors/retry-with-backoff.js';

/** A clock whose sleeps return at once and move time forward, recording each requested delay. */
export class FakeClock implements RetryClock {
  time = 1_000_000;
  readonly sleeps: number[] = [];

  now(): number {
    return this.time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.time += ms;
  }
}

export interface LoggedLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

export class FakeLogger implements Logger {
  readonly lines: LoggedLine[] = [];
  debug(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'debug', message, fields });
  }
  info(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'info', message, fields });
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'warn', message, fields });
  }
  error(message: string, fields?: Record<string, unknown>): void {
    this.lines.push({ level: 'error', message, fields });
  }
}

export class FakeDeadLetterQueueProducer implements DeadLetterQueueProducer {
  readonly sent: DeadLetterQueueRecord[] = [];
  readonly ensured: Array<{ topic: string; replicationFactor: number }> = [];
  failWith: Error | null = null;
  closed = false;

  async send(record: DeadLetterQueueRecord): Promise<void> {
    if (this.failWith !== null) throw this.failWith;
    this.sent.push(record);
  }

  async ensureTopic(topic: string, replicationFactor: number): Promise<void> {
    this.ensured.push({ topic, replicationFactor });
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

export function consumedRecord(overrides: Partial<ConsumedRecord> = {}): ConsumedRecord {
  return {
    topic: 'orders',
    partition: 3,
    offset: 42,
    timestamp: 1_700_000_000_000,
    timestampType: 'CreateTime',
    key: Buffer.from('order-7'),
    value: Buffer.from([0x7b, 0x22, 0xff, 0x00]),
    headers: [{ key: 'trace-id', value: Buffer.from('abc') }],
    ...overrides,
  };
}

export function headerText(record: DeadLetterQueueRecord, key: string): string | undefined {
  const found = record.headers.filter((h) => h.key === key);
  if (found.length > 1) throw new Error(`header ${key} appears ${found.length} times`);
  return found[0]?.value?.toString('utf8');
}
