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
 * The raw records of the batch in flight, found again from a SinkRecord by its ORIGINAL coordinates
 * (a transform may have renamed the topic). The sink worker fills it per batch and clears it after the
 * offsets are committed; the errant record reporter reads it.
 */
export class ConsumedRecordIndex {
  private readonly byCoordinates = new Map<string, ConsumedRecord>();

  private static keyOf(topic: string, partition: number, offset: number): string {
    return `${topic}\u0000${partition}\u0000${offset}`;
  }

  add(record: ConsumedRecord): void {
    this.byCoordinates.set(ConsumedRecordIndex.keyOf(record.topic, record.partition, record.offset), record);
  }

  lookup(record: SinkRecord): ConsumedRecord | undefined {
    return this.byCoordinates.get(
      ConsumedRecordIndex.keyOf(
        record.originalTopic,
        record.originalKafkaPartition,
        record.originalKafkaOffset,
      ),
    );
  }

  clear(): void {
    this.byCoordinates.clear();
  }

  get size(): number {
    return this.byCoordinates.size;
  }
}
