/**
 * Client-agnostic Kafka shapes. Everything outside runtime/kafka speaks these, so the Kafka client
 * library can be swapped for a faster one by rewriting this folder only.
 */
export interface KafkaHeader {
  readonly key: string;
  readonly value: Buffer | null;
}

export interface OutgoingMessage {
  readonly topic: string;
  readonly partition?: number | null;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly timestamp?: number | null;
  readonly headers: readonly KafkaHeader[];
}

export interface ProducedMetadata {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
}

export interface ConsumedMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly timestamp: number;
  readonly timestampType: 'CreateTime' | 'LogAppendTime' | 'NoTimestampType';
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly KafkaHeader[];
}

export interface PartitionRef {
  readonly topic: string;
  readonly partition: number;
}

export interface PartitionOffset extends PartitionRef {
  readonly offset: number;
}

export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions?: number;
  readonly replicationFactor?: number;
  readonly configs?: Readonly<Record<string, string>>;
}

export interface KafkaProducer {
  /** Sends the messages as one batch; resolves once Kafka acknowledged all of them, with per-message metadata in input order. */
  send(messages: readonly OutgoingMessage[]): Promise<ProducedMetadata[]>;
  close(): Promise<void>;
}

export interface ConsumerBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage[];
}

export interface ConsumerHandlers {
  /**
   * Called with each fetched batch, one at a time. Resolve true when the batch was delivered; false leaves
   * the position unchanged so the same records are fetched again (e.g. the task was paused meanwhile).
   */
  onBatch(batch: ConsumerBatch, control: { heartbeat(): Promise<void>; isRunning(): boolean }): Promise<boolean>;
  /** Called after each group join with the full new assignment. */
  onAssignment(assigned: readonly PartitionRef[]): Promise<void>;
  /** Called when the consumer stops or crashes. */
  onStop?(error: Error | null): void;
}

export interface KafkaGroupConsumer {
  run(handlers: ConsumerHandlers): Promise<void>;
  commit(offsets: readonly PartitionOffset[]): Promise<void>;
  seek(position: PartitionOffset): void;
  pause(partitions: readonly PartitionRef[]): void;
  resume(partitions: readonly PartitionRef[]): void;
  close(): Promise<void>;
}

export interface GroupConsumerOptions {
  readonly groupId: string;
  readonly topics: readonly string[] | RegExp;
  readonly fromBeginning: boolean;
  readonly clientId?: string;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly maxBytesPerPartition?: number;
}

export interface KafkaAdmin {
  clusterId(): Promise<string>;
  listTopics(): Promise<string[]>;
  createTopics(specs: readonly TopicSpec[]): Promise<void>;
  partitionCount(topic: string): Promise<number>;
  committedOffsets(groupId: string): Promise<PartitionOffset[]>;
  setCommittedOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaClient {
  producer(options?: { clientId?: string; overrides?: Readonly<Record<string, string>> }): Promise<KafkaProducer>;
  groupConsumer(options: GroupConsumerOptions): Promise<KafkaGroupConsumer>;
  admin(): Promise<KafkaAdmin>;
}
