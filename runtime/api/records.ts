import type { JsonObject } from './json.js';
import type { Schema } from './schema.js';

export interface Header {
  readonly key: string;
  readonly schema: Schema | null;
  readonly value: unknown;
}

export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

/** A partition position; as in Kafka, `offset` is the NEXT offset to read (last processed + 1). */
export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
}

export type TimestampType = 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';

/** What source and sink records share; transforms work on this shape and keep the rest by spreading. */
export interface ConnectRecord {
  readonly topic: string;
  readonly kafkaPartition: number | null;
  readonly keySchema: Schema | null;
  readonly key: unknown;
  readonly valueSchema: Schema | null;
  readonly value: unknown;
  /** epoch milliseconds */
  readonly timestamp: number | null;
  readonly headers: readonly Header[];
}

export type SourcePartition = JsonObject;
export type SourceOffset = JsonObject;

export interface SourceRecord extends ConnectRecord {
  readonly sourcePartition: SourcePartition;
  readonly sourceOffset: SourceOffset;
}

export interface SinkRecord extends ConnectRecord {
  readonly kafkaPartition: number;
  readonly kafkaOffset: number;
  readonly timestampType: TimestampType;
  /** Topic/partition/offset as consumed, before any transform renamed the topic. */
  readonly originalTopic: string;
  readonly originalKafkaPartition: number;
  readonly originalKafkaOffset: number;
}

/** Where Kafka stored a produced record; handed to SourceTask.commitRecord. */
export interface RecordMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
}

export interface SourceRecordInit {
  readonly sourcePartition: SourcePartition;
  readonly sourceOffset: SourceOffset;
  readonly topic: string;
  readonly kafkaPartition?: number | null;
  readonly keySchema?: Schema | null;
  readonly key?: unknown;
  readonly valueSchema?: Schema | null;
  readonly value?: unknown;
  readonly timestamp?: number | null;
  readonly headers?: readonly Header[];
}

/** Builds a SourceRecord with Connect's defaults (no partition, no schemas, no headers). */
export function sourceRecord(init: SourceRecordInit): SourceRecord {
  return {
    sourcePartition: init.sourcePartition,
    sourceOffset: init.sourceOffset,
    topic: init.topic,
    kafkaPartition: init.kafkaPartition ?? null,
    keySchema: init.keySchema ?? null,
    key: init.key ?? null,
    valueSchema: init.valueSchema ?? null,
    value: init.value ?? null,
    timestamp: init.timestamp ?? null,
    headers: init.headers ?? [],
  };
}

export function topicPartitionKey(tp: TopicPartition): string {
  return `${tp.topic}-${tp.partition}`;
}

/** Where a record was consumed from: its original topic and partition, whatever transforms changed since. */
export function consumedPartitionKey(record: SinkRecord): string {
  return `${record.originalTopic}-${record.originalKafkaPartition}`;
}

/**
 * The next offset to consume of each partition the records came from (their original coordinates, so a
 * topic-renaming transform does not matter): what a sink storing offsets with its data stores.
 */
export function consumedEnds(records: readonly SinkRecord[]): TopicPartitionOffset[] {
  const ends = new Map<string, TopicPartitionOffset>();
  for (const record of records) {
    const key = consumedPartitionKey(record);
    const next = record.originalKafkaOffset + 1;
    if ((ends.get(key)?.offset ?? -1) < next)
      ends.set(key, { topic: record.originalTopic, partition: record.originalKafkaPartition, offset: next });
  }
  return [...ends.values()];
}
