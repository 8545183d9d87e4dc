import {
  kafkaAccessOf,
  type ClusterAdmin,
  type ConfigIssue,
  type ConnectorConfig,
  type KafkaClusterClient,
  type ExactlyOnceSupport,
  type SourceConnector,
  type SourceConnectorContext,
} from '../../runtime/api/index.js';
import {
  formatPartitions,
  parseMirrorSettings,
  roundRobin,
  TASK_TOPIC_PARTITIONS,
  TASK_INDEX,
  validateMirrorConfig,
  type MirrorSettings,
  type TopicPartitionRef,
} from './mirror-config.js';
import { Periodic } from './periodic.js';
import {
  ensureInternalTopic,
  ensureRemoteTopics,
  findSourcePartitions,
  syncTopicConfigs,
} from './remote-topics.js';

/**
 * MM2's MirrorSourceConnector: finds the source topics to replicate, creates their remote topics on
 * the target (same partition count, synced configs) and spreads the partitions over tasks.
 */
export class MirrorSourceConnector implements SourceConnector {
  private config: ConnectorConfig = {};
  private settings!: MirrorSettings;
  private clients: KafkaClusterClient[] = [];
  private source!: ClusterAdmin;
  private target!: ClusterAdmin;
  private known: TopicPartitionRef[] = [];
  private readonly periodic: Periodic[] = [];

  async start(config: ConnectorConfig, context: SourceConnectorContext): Promise<void> {
    this.config = config;
    this.settings = parseMirrorSettings(config);
    const kafka = kafkaAccessOf(context);
    const sourceClient = kafka.connect(this.settings.sourceCluster);
    const targetClient = kafka.connect(this.settings.targetCluster);
    this.clients = [sourceClient, targetClient];
    this.source = await sourceClient.admin();
    this.target = await targetClient.admin();
    const { values } = this.settings;
    if (values.boolean('emit.offset-syncs.enabled')) {
      const syncsAdmin =
        this.settings.offsetSyncsCluster === this.settings.sourceCluster ? this.source : this.target;
      await ensureInternalTopic(
        syncsAdmin,
        this.settings.offsetSyncsTopic,
        values.number('offset-syncs.topic.replication.factor'),
      );
    }
    await this.refreshTopics();
    const { logger } = context;
    if (values.boolean('refresh.topics.enabled')) {
      const refresh = new Periodic(
        'refreshing topics',
        values.number('refresh.topics.interval.seconds') * 1000,
        async () => {
          if (await this.refreshTopics()) {
            logger.info('source topics or partitions changed; reconfiguring tasks', {
              partitions: this.known.length,
            });
            context.requestTaskReconfiguration();
          }
        },
        logger,
      );
      this.periodic.push(refresh);
    }
    if (values.boolean('sync.topic.configs.enabled')) {
      const sync = new Periodic(
        'syncing topic configs',
        values.number('sync.topic.configs.interval.seconds') * 1000,
        () =>
          syncTopicConfigs(this.settings, this.source, this.target, [
            ...new Set(this.known.map((p) => p.topic)),
          ]),
        logger,
      );
      this.periodic.push(sync);
    }
    for (const p of this.periodic) p.start();
  }

  /** Re-reads the source topics; true when the set of partitions changed. */
  private async refreshTopics(): Promise<boolean> {
    const { partitions, counts } = await findSourcePartitions(this.settings, this.source);
    await ensureRemoteTopics(this.settings, this.source, this.target, counts);
    const changed = formatPartitions(partitions) !== formatPartitions(this.known);
    this.known = partitions;
    return changed;
  }

  /** Offsets are upstream Kafka offsets, read with read_committed: exactly once, as MM2 with KIP-618. */
  exactlyOnceSupport(): ExactlyOnceSupport {
    return 'SUPPORTED';
  }

  taskConfigs(maxTasks: number): ConnectorConfig[] {
    return roundRobin(this.known, maxTasks).map((partitions, index) => ({
      ...this.config,
      [TASK_TOPIC_PARTITIONS]: formatPartitions(partitions),
      [TASK_INDEX]: String(index),
    }));
  }

  async stop(): Promise<void> {
    await Promise.all(this.periodic.splice(0).map((p) => p.stop()));
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }

  validate(config: ConnectorConfig): readonly ConfigIssue[] {
    return validateMirrorConfig(config);
  }
}
