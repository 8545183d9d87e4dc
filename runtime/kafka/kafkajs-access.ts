import { Kafka } from './kafkajs-library.js';
import type { Logger } from '../api/logger.js';
import { SluiceError } from '../errors/sluice-error.js';
import { brokersOf } from './client-config.js';
import { openAssignedConsumer } from './kafkajs-assigned-consumer.js';
import { KafkajsClient } from './kafkajs-client.js';
import { KafkajsClusterAdmin } from './kafkajs-cluster-admin.js';
import { KAFKAJS_LOG_LEVEL, kafkajsLogCreator } from './kafkajs-logging.js';
import type {
  AssignedConsumer,
  AssignedConsumerOptions,
  ClusterAdmin,
  KafkaAccess,
  KafkaClusterClient,
  KafkaProducer,
} from './types.js';

/** The runtime's KafkaAccess: opens any cluster from its client properties, backed by kafkajs. */
export class KafkajsAccess implements KafkaAccess {
  constructor(private readonly logger: Logger) {}

  connect(clusterProperties: Readonly<Record<string, string>>): KafkaClusterClient {
    const bootstrapServers = clusterProperties['bootstrap.servers'];
    if (bootstrapServers === undefined || bootstrapServers.trim() === '') {
      throw new SluiceError('CONFIG_MISSING', ['bootstrap.servers']);
    }
    return new KafkajsClusterClient(
      bootstrapServers,
      clusterProperties['client.id'] ?? 'sluice',
      this.logger,
    );
  }
}

class KafkajsClusterClient implements KafkaClusterClient {
  private readonly kafka: Kafka;
  private readonly client: KafkajsClient;
  private readonly opened: { close(): Promise<void> }[] = [];

  constructor(
    private readonly bootstrapServers: string,
    clientId: string,
    private readonly logger: Logger,
  ) {
    this.kafka = new Kafka({
      clientId,
      brokers: brokersOf(bootstrapServers),
      logLevel: KAFKAJS_LOG_LEVEL,
      logCreator: kafkajsLogCreator(logger),
      retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 5_000 },
    });
    this.client = new KafkajsClient({ bootstrapServers, clientId }, logger);
  }

  async admin(): Promise<ClusterAdmin> {
    const raw = this.kafka.admin();
    try {
      await raw.connect();
    } catch (error) {
      throw new SluiceError('KAFKA_UNAVAILABLE', [this.bootstrapServers, (error as Error).message], {
        cause: error,
      });
    }
    const admin = new KafkajsClusterAdmin(raw);
    this.opened.push(admin);
    return admin;
  }

  async producer(options: { overrides?: Readonly<Record<string, string>> } = {}): Promise<KafkaProducer> {
    const producer = await this.client.producer(options);
    this.opened.push(producer);
    return producer;
  }

  async assignedConsumer(options: AssignedConsumerOptions): Promise<AssignedConsumer> {
    const admin = (await this.admin()) as KafkajsClusterAdmin;
    try {
      const consumer = await openAssignedConsumer(this.kafka, admin, options, this.logger);
      this.opened.push(consumer);
      return consumer;
    } catch (error) {
      throw new SluiceError('KAFKA_UNAVAILABLE', [this.bootstrapServers, (error as Error).message], {
        cause: error,
      });
    }
  }

  /** Closes everything this client opened. */
  async close(): Promise<void> {
    // Newest first: an assigned consumer still needs the admin opened before it to clean up its group.
    for (const c of this.opened.splice(0).reverse()) await c.close().catch(() => undefined);
    await this.client.close();
  }
}
