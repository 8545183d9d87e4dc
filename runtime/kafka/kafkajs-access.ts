import type { Logger } from '../api/logger.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { ClientRole } from './client-config.js';
import { connectError } from './kafka-errors.js';
import { openAssignedConsumer } from './kafkajs-assigned-consumer.js';
import { KafkajsClient } from './kafkajs-client.js';
import { KafkajsClusterAdmin } from './kafkajs-cluster-admin.js';
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
    return new KafkajsClusterClient(bootstrapServers, clusterProperties, this.logger);
  }
}

/** `<role>.*` of a cluster's properties (MM2's `<alias>.producer.*` etc.), prefix stripped. */
function roleProperties(
  properties: Readonly<Record<string, string>>,
  role: ClientRole,
): Record<string, string> {
  const prefix = `${role}.`;
  return Object.fromEntries(
    Object.entries(properties)
      .filter(([k]) => k.startsWith(prefix))
      .map(([k, v]) => [k.slice(prefix.length), v]),
  );
}

/**
 * One cluster opened from its client properties: the top-level `security.protocol`, `ssl.*` and `sasl.*`
 * keys apply to every client; `producer.*`, `consumer.*` and `admin.*` override them per client.
 */
class KafkajsClusterClient implements KafkaClusterClient {
  private readonly client: KafkajsClient;
  private readonly opened: { close(): Promise<void> }[] = [];

  constructor(
    private readonly bootstrapServers: string,
    private readonly properties: Readonly<Record<string, string>>,
    private readonly logger: Logger,
  ) {
    this.client = new KafkajsClient(
      { bootstrapServers, clientId: properties['client.id'] ?? 'sluice', properties },
      logger,
    );
  }

  async admin(): Promise<ClusterAdmin> {
    const kafka = this.client.kafkajsFor('admin', roleProperties(this.properties, 'admin'));
    const raw = kafka.admin();
    try {
      await this.client.connecting(kafka, raw.connect());
    } catch (error) {
      throw connectError(this.bootstrapServers, error);
    }
    const admin = new KafkajsClusterAdmin(raw, kafka);
    this.opened.push(admin);
    return admin;
  }

  async producer(options: { overrides?: Readonly<Record<string, string>> } = {}): Promise<KafkaProducer> {
    const producer = await this.client.producer({
      overrides: { ...roleProperties(this.properties, 'producer'), ...options.overrides },
    });
    this.opened.push(producer);
    return producer;
  }

  async assignedConsumer(options: AssignedConsumerOptions): Promise<AssignedConsumer> {
    const admin = (await this.admin()) as KafkajsClusterAdmin;
    try {
      const kafka = this.client.kafkajsFor('consumer', roleProperties(this.properties, 'consumer'));
      const consumer = await openAssignedConsumer(kafka, admin, options, this.logger);
      this.opened.push(consumer);
      return consumer;
    } catch (error) {
      throw connectError(this.bootstrapServers, error);
    }
  }

  /** Closes everything this client opened. */
  async close(): Promise<void> {
    // Newest first: an assigned consumer still needs the admin opened before it to clean up its group.
    for (const c of this.opened.splice(0).reverse()) await c.close().catch(() => undefined);
    await this.client.close();
  }
}
