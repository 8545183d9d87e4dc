import type { Admin } from 'kafkajs';
import { kafkaCall } from './kafka-errors.js';
import type { CommittedOffset, KafkaAdmin, PartitionOffset, TopicSpec } from './types.js';

const LEADER_WAIT_MS = 30_000;

function isTopicNotYetKnown(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return type === 'UNKNOWN_TOPIC_OR_PARTITION' || type === 'LEADER_NOT_AVAILABLE';
}

/** True when kafkajs's DeleteGroups failed only because the groups do not exist. */
function onlyMissingGroups(error: unknown): boolean {
  const groups = (error as { groups?: { error?: { type?: unknown } }[] } | null)?.groups;
  return (
    Array.isArray(groups) && groups.length > 0 && groups.every((g) => g.error?.type === 'GROUP_ID_NOT_FOUND')
  );
}

/** Every call's failure comes out as KAFKA_RETRIABLE or KAFKA_FATAL (kafka-errors.ts), naming the call. */
export class KafkajsAdmin implements KafkaAdmin {
  constructor(private readonly admin: Admin) {}

  clusterId(): Promise<string> {
    return kafkaCall('describing the cluster', async () => (await this.admin.describeCluster()).clusterId);
  }

  listTopics(): Promise<string[]> {
    return kafkaCall('listing topics', () => this.admin.listTopics());
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    if (specs.length === 0) return;
    await kafkaCall(`creating topic(s) ${specs.map((s) => s.topic).join(', ')}`, () =>
      this.admin.createTopics({
        // kafkajs's own wait gives up at once when a broker answers UNKNOWN_TOPIC_OR_PARTITION for a
        // topic the controller just created (a KRaft broker learns it a moment later; seen under load).
        waitForLeaders: false,
        topics: specs.map((s) => ({
          topic: s.topic,
          numPartitions: s.numPartitions ?? 1,
          replicationFactor: s.replicationFactor ?? 1,
          configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
        })),
      }),
    );
    await kafkaCall(`waiting for the leaders of topic(s) ${specs.map((s) => s.topic).join(', ')}`, () =>
      this.waitForLeaders(specs.map((s) => s.topic)),
    );
  }

  /** Until every partition of the topics has a leader; not-yet-known topics are retried, not failed. */
  private async waitForLeaders(topics: string[]): Promise<void> {
    const deadline = Date.now() + LEADER_WAIT_MS;
    for (;;) {
      try {
        const meta = await this.admin.fetchTopicMetadata({ topics });
        const leaderless = meta.topics.some(
          (t) => t.partitions.length === 0 || t.partitions.some((p) => p.leader < 0),
        );
        if (!leaderless) return;
      } catch (error) {
        if (!isTopicNotYetKnown(error) || Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline) throw new Error(`no leader for every partition of ${topics.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async partitionCount(topic: string): Promise<number> {
    const meta = await kafkaCall(`reading the metadata of topic ${topic}`, () =>
      this.admin.fetchTopicMetadata({ topics: [topic] }),
    );
    return meta.topics[0]?.partitions.length ?? 0;
  }

  async committedOffsets(groupId: string): Promise<CommittedOffset[]> {
    const topics = await kafkaCall(`reading the committed offsets of group ${groupId}`, () =>
      this.admin.fetchOffsets({ groupId }),
    );
    const out: CommittedOffset[] = [];
    for (const t of topics) {
      for (const p of t.partitions) {
        const offset = Number(p.offset);
        if (offset >= 0)
          out.push({ topic: t.topic, partition: p.partition, offset, metadata: p.metadata ?? '' });
      }
    }
    return out;
  }

  /** kafkajs's setOffsets commits no metadata: KafkajsClusterAdmin commits it where a caller gives one. */
  async setCommittedOffsets(groupId: string, offsets: readonly CommittedOffset[]): Promise<void> {
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const o of offsets) {
      let list = byTopic.get(o.topic);
      if (list === undefined) byTopic.set(o.topic, (list = []));
      list.push({ partition: o.partition, offset: String(o.offset) });
    }
    for (const [topic, partitions] of byTopic)
      await kafkaCall(`setting the committed offsets of group ${groupId} on topic ${topic}`, () =>
        this.admin.setOffsets({ groupId, topic, partitions }),
      );
  }

  async deleteGroup(groupId: string): Promise<void> {
    await kafkaCall(`deleting group ${groupId}`, async () => {
      try {
        await this.admin.deleteGroups([groupId]);
      } catch (error) {
        // A group that never committed does not exist; deleting it is a no-op.
        if (!onlyMissingGroups(error)) throw error;
      }
    });
  }

  async offsetsForTimestamp(topic: string, timestamp: number): Promise<PartitionOffset[]> {
    // kafkajs answers the high watermark where no record is that late, as Connect tooling expects.
    const offsets = await kafkaCall(`listing the offsets of topic ${topic} at ${timestamp}`, () =>
      this.admin.fetchTopicOffsetsByTimestamp(topic, timestamp),
    );
    return offsets
      .map((o) => ({ topic, partition: o.partition, offset: Number(o.offset) }))
      .sort((a, b) => a.partition - b.partition);
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }
}
