import type { SinkRecord, TimestampType } from '../api/records.js';

/** A Kafka header as bytes on the wire; Kafka allows a null value. */
export interface RawHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

/**
 * A record exactly as the sink task's consumer read it, before any converter or transform touched it.
 * The dead letter queue gets these bytes back unchanged, so the record can be replayed once the
 * problem is fixed.
 */
export interface ConsumedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** epoch milliseconds; null when the broker stored none */
  readonly timestamp: number | null;
  readonly timestampType?: TimestampType;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RawHeader[];
}

/**
 * Finds the raw consumed record behind a SinkRecord the task was given (for the errant record reporter).
 * Keyed by the delivered record object itself in a WeakMap, so memory is released as soon as the task
 * lets go of its records, however long it buffers them between offset commits.
 */
export class ConsumedRecordIndex {
  private readonly byRecord = new WeakMap<SinkRecord, ConsumedRecord>();

  remember(delivered: SinkRecord, raw: ConsumedRecord): void {
    this.byRecord.set(delivered, raw);
  }

  lookup(delivered: SinkRecord): ConsumedRecord | undefined {
    return this.byRecord.get(delivered);
  }
}
