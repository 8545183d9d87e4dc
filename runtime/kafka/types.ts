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

/** A group's committed offset with the metadata string committed with it (Java's OffsetAndMetadata). */
export interface CommittedOffset extends PartitionOffset {
  /** `''` when none was committed. */
  readonly metadata?: string;
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

/**
 * A producer whose sends are grouped into Kafka transactions (exactly-once sources). Its transactional
 * id is registered with Kafka at the first `beginTransaction()`, which fences any older producer that
 * had the id: that one's open transaction is aborted and its next call fails with KAFKA_PRODUCER_FENCED.
 */
export interface TransactionalProducer {
  readonly transactionalId: string;
  beginTransaction(): Promise<void>;
  /** Sends within the open transaction; metadata as KafkaProducer.send. Nothing is visible to read_committed readers before commit. */
  send(messages: readonly OutgoingMessage[]): Promise<ProducedMetadata[]>;
  commitTransaction(): Promise<void>;
  /** Aborts the open transaction, if any. */
  abortTransaction(): Promise<void>;
  close(): Promise<void>;
}

export interface ConsumerBatch {
  readonly topic: string;
  readonly partition: number;
  readonly messages: readonly ConsumedMessage[];
  /** The partition's high watermark when the batch was fetched: the offset the next produced record gets. */
  readonly highWatermark: number;
}

export interface ConsumerHandlers {
  /**
   * Called with each fetched batch, one at a time. Resolve true when the batch was delivered; false leaves
   * the position unchanged so the same records are fetched again (e.g. the task was paused meanwhile).
   */
  onBatch(
    batch: ConsumerBatch,
    control: {
      heartbeat(): Promise<void>;
      isRunning(): boolean;
      /**
       * True once a seek of the batch's partition is pending: the batch was fetched from the position before
       * the seek and must not be delivered (resolve false; the next fetch starts at the sought offset).
       */
      isStale(): boolean;
    },
  ): Promise<boolean>;
  /**
   * Called after each group join with the full new assignment, and with none before the consumer leaves
   * the group to rejoin with a changed subscription (a RegExp that now matches other topics).
   */
  onAssignment(assigned: readonly PartitionRef[]): Promise<void>;
  /** Called when the consumer stops or crashes. */
  onStop?(error: Error | null): void;
  /**
   * Called every few seconds while the consumer waits for the group to assign partitions (after start,
   * a rebalance or a restart), so the task can say what it waits for. `onAssignment` ends the wait.
   */
  onJoinWait?(wait: GroupJoinWait): void;
}

export interface GroupJoinWait {
  readonly groupId: string;
  /** When the wait began (ms since the epoch). */
  readonly since: number;
  /** How long the consumer has waited so far, across fresh members. */
  readonly waitedMs: number;
  /** Members replaced so far because one waited longer than session.timeout.ms + rebalance timeout. */
  readonly freshMembers: number;
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
  /**
   * How long the coordinator waits for this member to rejoin during a rebalance (the Java consumer's
   * max.poll.interval.ms; default 60000).
   */
  readonly rebalanceTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly maxBytesPerPartition?: number;
  /**
   * metadata.max.age.ms (default 300000): how often metadata is refreshed; a RegExp subscription then
   * picks up matching topics created (and drops those deleted) since, rejoining the group.
   */
  readonly metadataMaxAgeMs?: number;
  /** Client overrides (`consumer.*` of the worker with the connector's `consumer.override.*`, prefixes stripped). */
  readonly overrides?: Readonly<Record<string, string>>;
}

export interface KafkaAdmin {
  clusterId(): Promise<string>;
  listTopics(): Promise<string[]>;
  createTopics(specs: readonly TopicSpec[]): Promise<void>;
  partitionCount(topic: string): Promise<number>;
  committedOffsets(groupId: string): Promise<CommittedOffset[]>;
  /** Commits for a group nobody consumes in; a `metadata` is written with its offset. */
  setCommittedOffsets(groupId: string, offsets: readonly CommittedOffset[]): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  /**
   * ListOffsets by time: per partition of the topic, the first offset whose timestamp is at or after
   * `timestamp` (epoch ms), or the end offset when no record is that late (Java's Admin.listOffsets with
   * OffsetSpec.forTimestamp, the end where it answers none).
   */
  offsetsForTimestamp(topic: string, timestamp: number): Promise<PartitionOffset[]>;
  close(): Promise<void>;
}

/** Bytes per second one client id may produce and consume (Kafka client quotas); absent: left as it is. */
export interface ClientByteRateQuota {
  readonly clientId: string;
  readonly producerByteRate?: number;
  readonly consumerByteRate?: number;
}

export interface KafkaClient {
  producer(options?: {
    clientId?: string;
    overrides?: Readonly<Record<string, string>>;
  }): Promise<KafkaProducer>;
  transactionalProducer(options: {
    transactionalId: string;
    clientId?: string;
    overrides?: Readonly<Record<string, string>>;
  }): Promise<TransactionalProducer>;
  /**
   * Fences every producer holding one of these transactional ids (Java's Admin.fenceProducers): their open
   * transactions are aborted and their next call fails. Used before a task generation with fewer tasks starts.
   */
  fenceProducers(transactionalIds: readonly string[]): Promise<void>;
  groupConsumer(options: GroupConsumerOptions): Promise<KafkaGroupConsumer>;
  /** `overrides`: `admin.*` of the worker with the connector's `admin.override.*`, prefixes stripped. */
  admin(options?: { clientId?: string; overrides?: Readonly<Record<string, string>> }): Promise<KafkaAdmin>;
  /**
   * Sets Kafka client quotas (producer_byte_rate, consumer_byte_rate) on client ids; throws when the
   * broker refuses (the worker's Kafka user needs ALTER_CONFIGS on the cluster). Absent: not supported.
   */
  setClientByteRateQuotas?(quotas: readonly ClientByteRateQuota[]): Promise<void>;
}

/** Admin operations replication needs beyond the worker's own (topic configs, partitions, groups, end offsets). */
export interface ClusterAdmin extends KafkaAdmin {
  /** Partition counts of the given topics; a topic that does not exist is absent from the map. */
  partitionCounts(topics: readonly string[]): Promise<Map<string, number>>;
  /** Topic configs that were set explicitly on the topic (not broker or static defaults). */
  explicitTopicConfigs(topics: readonly string[]): Promise<Map<string, Record<string, string>>>;
  /** Makes these the topic's explicit configs: keys not listed go back to the broker default. */
  replaceTopicConfigs(topic: string, configs: Readonly<Record<string, string>>): Promise<void>;
  /** Grows the topic to `totalCount` partitions. */
  createPartitions(topic: string, totalCount: number): Promise<void>;
  listGroups(): Promise<string[]>;
  /** True when the group has members right now (its committed offsets must then not be touched). */
  groupHasMembers(groupId: string): Promise<boolean>;
  /** The next offset to be written (high watermark) of each partition of the topic. */
  endOffsets(topic: string): Promise<PartitionOffset[]>;
}

/** A partition to read and where to start: `offset` is the next offset to read, null for the earliest. */
export interface PartitionStart extends PartitionRef {
  readonly offset: number | null;
}

/**
 * Reads exactly the given partitions from the given positions, with no consumer-group offsets of its
 * own (like the Java consumer's assign() + seek()). Messages are buffered up to a bound, so a slow
 * reader holds the fetcher back instead of filling memory.
 */
export interface AssignedConsumer {
  /** Up to `maxMessages` buffered messages, waiting at most `maxWaitMs` for the first one. */
  poll(maxWaitMs: number, maxMessages: number): Promise<ConsumedMessage[]>;
  close(): Promise<void>;
}

export interface AssignedConsumerOptions {
  readonly partitions: readonly PartitionStart[];
  /** Upper bound on buffered messages before fetching pauses (default 20,000). */
  readonly maxBufferedMessages?: number;
  readonly maxBytesPerPartition?: number;
}

/** One Kafka cluster other than (or the same as) the worker's, opened from client properties. */
export interface KafkaClusterClient {
  admin(): Promise<ClusterAdmin>;
  producer(options?: { overrides?: Readonly<Record<string, string>> }): Promise<KafkaProducer>;
  assignedConsumer(options: AssignedConsumerOptions): Promise<AssignedConsumer>;
  close(): Promise<void>;
}

/**
 * How a plugin reaches a Kafka cluster without importing a Kafka client: it hands the runtime the
 * cluster's client properties (`bootstrap.servers`, `client.id`, ...).
 */
export interface KafkaAccess {
  connect(clusterProperties: Readonly<Record<string, string>>): KafkaClusterClient;
}
