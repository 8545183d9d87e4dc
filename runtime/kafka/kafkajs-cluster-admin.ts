import type { Admin, Kafka } from 'kafkajs';
import { kafkaCall } from './kafka-errors.js';
import { KafkajsAdmin } from './kafkajs-admin.js';
import { createInternalCluster, type InternalCluster } from './kafkajs-internal-cluster.js';
import type { ClusterAdmin, CommittedOffset, PartitionOffset } from './types.js';
import { ConfigResourceTypes } from './kafkajs-library.js';

/** Kafka's ConfigSource.DYNAMIC_TOPIC_CONFIG: a value set on the topic itself. */
const DYNAMIC_TOPIC_CONFIG = 1;
/** Group states in which nobody consumes, so committed offsets may be rewritten. */
const IDLE_GROUP_STATES = new Set(['Empty', 'Dead', '']);

/** Every call's failure comes out as KAFKA_RETRIABLE or KAFKA_FATAL (kafka-errors.ts), naming the call. */
export class KafkajsClusterAdmin extends KafkajsAdmin implements ClusterAdmin {
  /** Opened for the first commit that carries metadata. */
  private internalCluster: InternalCluster | null = null;

  /** `kafka`: the client the admin came from, for commits with metadata (kafkajs's Admin has none). */
  constructor(
    private readonly kafkajsAdmin: Admin,
    private readonly kafka?: Kafka,
  ) {
    super(kafkajsAdmin);
  }

  /**
   * With metadata on any offset, commits as Java's Admin.alterConsumerGroupOffsets does: one
   * OffsetCommit to the group's coordinator with generation -1 and no member id, which the broker
   * accepts only while the group has no members. Without, as kafkajs's setOffsets does.
   */
  override async setCommittedOffsets(groupId: string, offsets: readonly CommittedOffset[]): Promise<void> {
    if (this.kafka === undefined || offsets.every((o) => (o.metadata ?? '') === ''))
      return super.setCommittedOffsets(groupId, offsets);
    const byTopic = new Map<string, { partition: number; offset: string; metadata: string | null }[]>();
    for (const o of offsets) {
      let list = byTopic.get(o.topic);
      if (list === undefined) byTopic.set(o.topic, (list = []));
      list.push({ partition: o.partition, offset: String(o.offset), metadata: o.metadata ?? '' });
    }
    const kafka = this.kafka;
    await kafkaCall(`committing offsets with metadata for group ${groupId}`, async () => {
      if (this.internalCluster === null) {
        const cluster = createInternalCluster(kafka);
        await cluster.connect();
        this.internalCluster = cluster;
      }
      const coordinator = await this.internalCluster.findGroupCoordinator({ groupId });
      await coordinator.offsetCommit({
        groupId,
        groupGenerationId: -1,
        memberId: '',
        retentionTime: -1,
        topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })),
      });
    });
  }

  override async close(): Promise<void> {
    await this.internalCluster?.disconnect().catch(() => undefined);
    this.internalCluster = null;
    await super.close();
  }

  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (topics.length === 0) return out;
    const existing = new Set(await this.listTopics());
    const wanted = topics.filter((t) => existing.has(t));
    if (wanted.length === 0) return out;
    const meta = await kafkaCall(`reading the metadata of topic(s) ${wanted.join(', ')}`, () =>
      this.kafkajsAdmin.fetchTopicMetadata({ topics: wanted }),
    );
    for (const t of meta.topics) out.set(t.name, t.partitions.length);
    return out;
  }

  async explicitTopicConfigs(topics: readonly string[]): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    if (topics.length === 0) return out;
    const described = await kafkaCall(`describing the configs of topic(s) ${topics.join(', ')}`, () =>
      this.kafkajsAdmin.describeConfigs({
        includeSynonyms: false,
        resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
      }),
    );
    for (const resource of described.resources) {
      if (resource.errorCode !== 0) continue;
      const configs: Record<string, string> = {};
      for (const entry of resource.configEntries) {
        const source = (entry as { configSource?: number }).configSource;
        const explicit = source === undefined ? !entry.isDefault : source === DYNAMIC_TOPIC_CONFIG;
        if (explicit && !entry.isSensitive && entry.configValue !== null)
          configs[entry.configName] = entry.configValue;
      }
      out.set(resource.resourceName, configs);
    }
    return out;
  }

  async replaceTopicConfigs(topic: string, configs: Readonly<Record<string, string>>): Promise<void> {
    await kafkaCall(`altering the configs of topic ${topic}`, () =>
      this.kafkajsAdmin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: topic,
            configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
          },
        ],
      }),
    );
  }

  async createPartitions(topic: string, totalCount: number): Promise<void> {
    await kafkaCall(`growing topic ${topic} to ${totalCount} partitions`, () =>
      this.kafkajsAdmin.createPartitions({ topicPartitions: [{ topic, count: totalCount }] }),
    );
  }

  async listGroups(): Promise<string[]> {
    const listed = await kafkaCall('listing groups', () => this.kafkajsAdmin.listGroups());
    return listed.groups.map((g) => g.groupId);
  }

  async groupHasMembers(groupId: string): Promise<boolean> {
    const described = await kafkaCall(`describing group ${groupId}`, () =>
      this.kafkajsAdmin.describeGroups([groupId]),
    );
    const group = described.groups[0];
    if (group === undefined) return false;
    return group.members.length > 0 || !IDLE_GROUP_STATES.has(group.state);
  }

  async endOffsets(topic: string): Promise<PartitionOffset[]> {
    const offsets = await kafkaCall(`listing the end offsets of topic ${topic}`, () =>
      this.kafkajsAdmin.fetchTopicOffsets(topic),
    );
    return offsets.map((o) => ({ topic, partition: o.partition, offset: Number(o.high) }));
  }
}
