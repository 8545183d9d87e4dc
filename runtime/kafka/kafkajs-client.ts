import type { Consumer, Producer } from 'kafkajs';
import { Kafka, PartitionAssigners, Partitioners } from './kafkajs-library.js';
import type { Logger } from '../api/logger.js';
import { SluiceError } from '../errors/sluice-error.js';
import { KafkajsAdmin } from './kafkajs-admin.js';
import { KafkajsGroupConsumer } from './kafkajs-consumer.js';
import { KAFKAJS_LOG_LEVEL, kafkajsLogCreator } from './kafkajs-logging.js';
import { checkBatchingKeys, compressionOf, KafkajsProducer } from './kafkajs-producer.js';
import { KafkajsTransactionalProducer } from './kafkajs-transactional-producer.js';
import { brokersOf, type ClientRole, type KafkaConnection } from './client-config.js';
import { CertificateWatch } from './certificate-watch.js';
import { alterClientByteRateQuotas } from './client-quotas.js';
import { connectError } from './kafka-errors.js';
import { kafkajsSecurityOptions } from './kafkajs-security.js';
import { isolationLevelOf } from './isolation-level.js';
import { parseKafkaSecurity, securityProperties, type KafkaSecurity } from './security-config.js';
import type {
  ClusterKafkaClient,
  GroupMembership,
  GroupMembershipOptions,
  TopicTailReader,
} from './cluster-types.js';
import { KafkajsGroupMembership } from './group-membership.js';
import { KafkajsTopicReader } from './kafkajs-topic-reader.js';
import { subscriptionRoundRobin } from './subscription-round-robin.js';
import type {
  ClientByteRateQuota,
  GroupConsumerOptions,
  KafkaAdmin,
  KafkaClient,
  KafkaGroupConsumer,
  KafkaProducer,
  TransactionalProducer,
} from './types.js';

const PARTITION_COUNT_TTL_MS = 30_000;
const DEFAULT_MAX_REQUEST_BYTES = 900_000;
/** The Java producer's transaction.timeout.ms default. */
const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
/** The Java consumer's metadata.max.age.ms default. */
const DEFAULT_METADATA_MAX_AGE_MS = 300_000;
/** A floor, so a tiny metadata.max.age.ms cannot turn topic listing into a busy loop. */
const MIN_METADATA_MAX_AGE_MS = 1_000;

function refreshInterval(metadataMaxAgeMs: number | undefined): number {
  if (metadataMaxAgeMs === undefined || !Number.isFinite(metadataMaxAgeMs) || metadataMaxAgeMs < 0)
    return DEFAULT_METADATA_MAX_AGE_MS;
  return Math.max(MIN_METADATA_MAX_AGE_MS, metadataMaxAgeMs);
}

/** The Kafka client the runtime uses, backed by kafkajs. */
export class KafkajsClient implements KafkaClient, ClusterKafkaClient {
  private readonly kafka: Kafka;
  /** The security keys of the connection's own properties; a client's overrides are laid over them. */
  private readonly baseSecurity: Readonly<Record<string, string>>;
  /** kafkajs takes security per Kafka instance: one per distinct security a client overrode, kept for reuse. */
  private readonly securedVariants = new Map<string, Kafka>();
  private readonly certificateWatches = new WeakMap<Kafka, CertificateWatch>();
  private metadataAdmin: Promise<KafkaAdmin> | null = null;
  private readonly partitionCounts = new Map<string, { count: number; at: number }>();

  constructor(
    private readonly connection: KafkaConnection,
    private readonly logger: Logger,
  ) {
    this.baseSecurity = securityProperties(connection.properties ?? {});
    this.kafka = this.kafkaWith(parseKafkaSecurity(this.baseSecurity));
  }

  private kafkaWith(security: KafkaSecurity, clientId = this.connection.clientId): Kafka {
    const watch = new CertificateWatch();
    const kafka = new Kafka({
      clientId,
      brokers: brokersOf(this.connection.bootstrapServers),
      logLevel: KAFKAJS_LOG_LEVEL,
      logCreator: kafkajsLogCreator(this.logger),
      requestTimeout: this.connection.requestTimeoutMs ?? 30_000,
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
      socketFactory: watch.socketFactory,
      ...kafkajsSecurityOptions(security),
    });
    this.certificateWatches.set(kafka, watch);
    return kafka;
  }

  /** A client of `kafka` connecting: ends at its first refused certificate rather than after kafkajs's retries. */
  connecting<T>(kafka: Kafka, connect: Promise<T>): Promise<T> {
    const watch = this.certificateWatches.get(kafka);
    return watch === undefined ? connect : watch.guard(connect);
  }

  /**
   * The kafkajs instance for a client of `role` with these overrides (`producer.*` of the worker merged
   * with the connector's `producer.override.*`, prefixes stripped): the shared one unless they change
   * the security or the client id. The client id is `client.id` of the overrides, else `clientId` (the
   * name Connect gives a task's client, e.g. `connector-producer-<connector>-<task>`), else the worker's.
   * Throws a config error naming the key when the security keys are wrong.
   */
  kafkajsFor(role: ClientRole, overrides: Readonly<Record<string, string>> = {}, clientId?: string): Kafka {
    const own = securityProperties(overrides);
    const id = overrides['client.id'] ?? clientId;
    if (Object.keys(own).length === 0 && id === undefined) return this.kafka;
    const merged = { ...this.baseSecurity, ...own };
    const security = (): KafkaSecurity =>
      parseKafkaSecurity(merged, (key) => (key in own ? `${role}.[override.]${key}` : key));
    // One instance per client id: kafkajs names every connection of an instance by its clientId. Not
    // cached, as task ids come and go; an instance holds no connection of its own.
    if (id !== undefined) return this.kafkaWith(security(), id);
    const fingerprint = JSON.stringify(Object.entries(merged).sort(([a], [b]) => a.localeCompare(b)));
    let kafka = this.securedVariants.get(fingerprint);
    if (kafka === undefined) {
      kafka = this.kafkaWith(security());
      this.securedVariants.set(fingerprint, kafka);
    }
    return kafka;
  }

  private wrapConnectError(error: unknown): SluiceError {
    return connectError(this.connection.bootstrapServers, error);
  }

  /** One admin for metadata look-ups, opened on first use (again after a failed open). */
  private sharedAdmin(): Promise<KafkaAdmin> {
    this.metadataAdmin ??= this.admin().catch((error: unknown) => {
      this.metadataAdmin = null;
      throw error;
    });
    return this.metadataAdmin;
  }

  /** Partition count of a topic, cached briefly; a missing topic is created by the broker's auto-create on first metadata request. */
  private async partitionCount(topic: string): Promise<number> {
    const cached = this.partitionCounts.get(topic);
    if (cached && Date.now() - cached.at < PARTITION_COUNT_TTL_MS) return cached.count;
    const admin = await this.sharedAdmin();
    let count = 0;
    for (let attempt = 0; attempt < 20 && count === 0; attempt++) {
      try {
        count = await admin.partitionCount(topic);
      } catch (error) {
        if (!/does not host this topic-partition|UNKNOWN_TOPIC|LEADER_NOT_AVAILABLE/i.test(String(error)))
          throw error;
        await admin.createTopics([{ topic }]).catch(() => undefined);
      }
      if (count === 0) await new Promise((r) => setTimeout(r, 100));
    }
    if (count === 0)
      throw new SluiceError('KAFKA_PRODUCE_FAILED', [topic, 'topic has no partitions (does it exist?)']);
    this.partitionCounts.set(topic, { count, at: Date.now() });
    return count;
  }

  /**
   * A connected kafkajs producer with the client's settings; `transactional` makes it idempotent with a
   * transactional id. transaction.timeout.ms (default 60000, as in Java) bounds how long a transaction left
   * open by a crashed task holds back read_committed readers, unless the task's next instance aborts it
   * sooner by registering the same transactional id.
   */
  private async connectedProducer(
    clientId: string | undefined,
    overrides: Readonly<Record<string, string>>,
    transactionalId?: string,
  ): Promise<{ producer: Producer; options: ConstructorParameters<typeof KafkajsProducer>[2] }> {
    const compression = compressionOf(overrides['compression.type'] ?? 'none');
    checkBatchingKeys(overrides);
    const kafka = this.kafkajsFor('producer', overrides, clientId);
    const producer = kafka.producer({
      allowAutoTopicCreation: true,
      // Partitions are chosen by our own partitioner (see partitioner.ts); this only silences kafkajs's v2 notice.
      createPartitioner: Partitioners.DefaultPartitioner,
      idempotent: transactionalId !== undefined,
      maxInFlightRequests: 1,
      ...(transactionalId === undefined
        ? {}
        : {
            transactionalId,
            transactionTimeout: Number(overrides['transaction.timeout.ms'] ?? DEFAULT_TRANSACTION_TIMEOUT_MS),
          }),
    });
    try {
      await this.connecting(kafka, producer.connect());
    } catch (error) {
      throw this.wrapConnectError(error);
    }
    // A transactional producer writes with acks=all whatever acks says, as Java's requires.
    const acks =
      transactionalId !== undefined || overrides['acks'] === undefined || overrides['acks'] === 'all'
        ? -1
        : Number(overrides['acks']);
    return {
      producer,
      options: {
        acks,
        compression,
        // Below the broker's default message.max.bytes (1 MiB) with room for batch overhead.
        maxRequestBytes: Number(overrides['max.request.size'] ?? DEFAULT_MAX_REQUEST_BYTES),
      },
    };
  }

  async producer(
    options: { clientId?: string; overrides?: Readonly<Record<string, string>> } = {},
  ): Promise<KafkaProducer> {
    const { producer, options: sendOptions } = await this.connectedProducer(
      options.clientId,
      options.overrides ?? {},
    );
    return new KafkajsProducer(producer, (t) => this.partitionCount(t), sendOptions);
  }

  /** An idempotent producer used through transactions (exactly-once sources). */
  async transactionalProducer(options: {
    transactionalId: string;
    clientId?: string;
    overrides?: Readonly<Record<string, string>>;
  }): Promise<TransactionalProducer> {
    const { producer, options: sendOptions } = await this.connectedProducer(
      options.clientId,
      options.overrides ?? {},
      options.transactionalId,
    );
    return new KafkajsTransactionalProducer(
      options.transactionalId,
      producer,
      (t) => this.partitionCount(t),
      sendOptions,
    );
  }

  async setClientByteRateQuotas(quotas: readonly ClientByteRateQuota[]): Promise<void> {
    await alterClientByteRateQuotas(this.kafkajsFor('admin'), quotas);
  }

  /** Registers each id with a throwaway transactional producer: Kafka bumps the id's epoch, fencing its holder. */
  async fenceProducers(transactionalIds: readonly string[]): Promise<void> {
    for (const transactionalId of transactionalIds) {
      const producer = await this.transactionalProducer({ transactionalId });
      try {
        await producer.beginTransaction();
        await producer.abortTransaction();
      } finally {
        await producer.close().catch(() => undefined);
      }
    }
  }

  async groupConsumer(options: GroupConsumerOptions): Promise<KafkaGroupConsumer> {
    const pattern = options.topics instanceof RegExp;
    const metadataMaxAgeMs = refreshInterval(options.metadataMaxAgeMs);
    const timeouts = {
      sessionTimeoutMs: options.sessionTimeoutMs ?? 30_000,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 60_000,
    };
    const kafka = this.kafkajsFor('consumer', options.overrides, options.clientId);
    const readUncommitted = isolationLevelOf(options.overrides) === 'read_uncommitted';
    const createConsumer = (wanted: () => boolean): Consumer =>
      kafka.consumer({
        groupId: options.groupId,
        // kafkajs restarts a crashed consumer on its own, even one close() has stopped (a request in flight
        // on a socket close() ended crashes it). Such a zombie rejoins the group, leaves again, and keeps
        // the group rebalancing every few seconds: only a consumer that is still wanted may restart.
        retry: { restartOnFailure: async () => wanted() },
        sessionTimeout: timeouts.sessionTimeoutMs,
        rebalanceTimeout: timeouts.rebalanceTimeoutMs,
        // kafkajs's assigner stays second, so members of an older Sluice in the same group still agree on one.
        partitionAssigners: [subscriptionRoundRobin, PartitionAssigners.roundRobin],
        heartbeatInterval: options.heartbeatIntervalMs ?? 3_000,
        maxBytesPerPartition: options.maxBytesPerPartition ?? 1_048_576,
        metadataMaxAge: metadataMaxAgeMs,
        // Like the Java consumer's allow.auto.create.topics=true: a sink may start before its topic exists.
        // A pattern subscription names only existing topics and never creates one (as in Java): a
        // matching topic deleted meanwhile must not come back.
        allowAutoTopicCreation: !pattern,
        // Explicit, not kafkajs's default: read_committed unless isolation.level says otherwise.
        readUncommitted,
      });
    const consumer = new KafkajsGroupConsumer(
      createConsumer,
      {
        topics: options.topics,
        fromBeginning: options.fromBeginning,
        refreshIntervalMs: metadataMaxAgeMs,
        listTopics: async () => (await this.sharedAdmin()).listTopics(),
      },
      this.logger,
      options.groupId,
      timeouts,
    );
    try {
      await this.connecting(kafka, consumer.connect());
    } catch (error) {
      throw this.wrapConnectError(error);
    }
    return consumer;
  }

  async admin(
    options: { clientId?: string; overrides?: Readonly<Record<string, string>> } = {},
  ): Promise<KafkaAdmin> {
    const kafka = this.kafkajsFor('admin', options.overrides, options.clientId);
    const admin = kafka.admin();
    try {
      await this.connecting(kafka, admin.connect());
    } catch (error) {
      throw this.wrapConnectError(error);
    }
    return new KafkajsAdmin(admin);
  }

  /** Distributed mode: tails an internal topic from its beginning. */
  topicReader(topic: string): TopicTailReader {
    return new KafkajsTopicReader(this.kafka, topic);
  }

  /** Distributed mode: membership in a worker group (custom protocol type). */
  groupMembership(options: GroupMembershipOptions): Promise<GroupMembership> {
    return KafkajsGroupMembership.connect(this.kafka, options);
  }

  async close(): Promise<void> {
    if (this.metadataAdmin) await (await this.metadataAdmin).close().catch(() => undefined);
  }
}
