import type { Admin } from 'kafkajs';
import { kafkaCall } from './kafka-errors.js';
import { KafkajsAdmin } from './kafkajs-admin.js';
import type { ClusterAdmin, PartitionOffset } from './types.js';
import { ConfigResourceTypes } from './kafkajs-library.js';

/** Kafka's ConfigSource.DYNAMIC_TOPIC_CONFIG: a value set on the topic itself. */
const DYNAMIC_TOPIC_CONFIG = 1;
/** Group states in which nobody consumes, so committed offsets may be rewritten. */
const IDLE_GROUP_STATES = new Set(['Empty', 'Dead', '']);

/** Every call's failure comes out as KAFKA_RETRIABLE or KAFKA_FATAL (kafka-errors.ts), naming the call. */
export class KafkajsClusterAdmin extends KafkajsAdmin implements ClusterAdmin {
  constructor(private readonly kafkajsAdmin: Admin) {
    super(kafkajsAdmin);
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
