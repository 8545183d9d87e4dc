import {
  javaHashMapOrder,
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
  contiguousGroups,
  parseMirrorSettings,
  TASK_CONSUMER_GROUPS,
  TASK_INDEX,
  validateMirrorConfig,
  type MirrorSettings,
} from './mirror-config.js';
import { Periodic } from './periodic.js';
import { ensureInternalTopic } from './remote-topics.js';

/** MM2's MirrorCheckpointConnector: finds the source consumer groups to checkpoint and spreads them over tasks. */
export class MirrorCheckpointConnector implements SourceConnector {
  private config: ConnectorConfig = {};
  private settings!: MirrorSettings;
  private client: KafkaClusterClient | null = null;
  private source!: ClusterAdmin;
  private groups: string[] = [];
  private refresh: Periodic | null = null;

  async start(config: ConnectorConfig, context: SourceConnectorContext): Promise<void> {
    this.config = config;
    this.settings = parseMirrorSettings(config);
    const kafka = kafkaAccessOf(context);
    this.client = kafka.connect(this.settings.sourceCluster);
    this.source = await this.client.admin();
    const target = kafka.connect(this.settings.targetCluster);
    try {
      await ensureInternalTopic(
        await target.admin(),
        this.settings.policy.checkpointsTopic(this.settings.sourceAlias),
        this.settings.values.number('checkpoints.topic.replication.factor'),
      );
    } finally {
      await target.close();
    }
    this.groups = await this.findGroups();
    if (this.settings.values.boolean('refresh.groups.enabled')) {
      this.refresh = new Periodic(
        'refreshing consumer groups',
        this.settings.values.number('refresh.groups.interval.seconds') * 1000,
        async () => {
          const groups = await this.findGroups();
          if ([...groups].sort().join(',') !== [...this.groups].sort().join(',')) {
            this.groups = groups;
            context.logger.info('consumer groups changed; reconfiguring tasks', { groups: groups.length });
            context.requestTaskReconfiguration();
          }
        },
        context.logger,
      );
      this.refresh.start();
    }
  }

  /**
   * MM2's group discovery: the groups the `groups` filter admits that have committed offsets on at least
   * one topic the `topics` filter admits (a group that never read a replicated topic has nothing to
   * checkpoint). In the order MM2 hands them to its tasks: a java.util.HashSet's.
   */
  private async findGroups(): Promise<string[]> {
    const candidates = (await this.source.listGroups()).filter((g) => this.settings.groupAllowed(g));
    const consumed = await Promise.all(
      candidates.map(async (group) =>
        (await this.source.committedOffsets(group)).some((o) => this.settings.topicAllowed(o.topic)),
      ),
    );
    return javaHashMapOrder(candidates.filter((_, i) => consumed[i]));
  }

  /** Its records carry no source position a replay could repeat (as MM2's, which reports SUPPORTED). */
  exactlyOnceSupport(): ExactlyOnceSupport {
    return 'SUPPORTED';
  }

  taskConfigs(maxTasks: number): ConnectorConfig[] {
    if (!this.settings.values.boolean('emit.checkpoints.enabled')) return [];
    return contiguousGroups(this.groups, maxTasks).map((groups, index) => ({
      ...this.config,
      [TASK_CONSUMER_GROUPS]: groups.join(','),
      [TASK_INDEX]: String(index),
    }));
  }

  async stop(): Promise<void> {
    await this.refresh?.stop();
    await this.client?.close();
    this.client = null;
  }

  validate(config: ConnectorConfig): readonly ConfigIssue[] {
    return validateMirrorConfig(config);
  }
}
