import type { Admin } from 'kafkajs';
import type { KafkaAdmin, PartitionOffset, TopicSpec } from './types.js';

export class KafkajsAdmin implements KafkaAdmin {
  constructor(private readonly admin: Admin) {}

  async clusterId(): Promise<string> {
    return (await this.admin.describeCluster()).clusterId;
  }

  listTopics(): Promise<string[]> {
    return this.admin.listTopics();
  }

  async createTopics(specs: readonly TopicSpec[]): Promise<void> {
    if (specs.length === 0) return;
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: specs.map((s) => ({
        topic: s.topic,
        numPartitions: s.numPartitions ?? 1,
        replicationFactor: s.replicationFactor ?? 1,
        configEntries: Object.entries(s.configs ?? {}).map(([name, value]) => ({ name, value })),
      })),
    });
  }

  async partitionCount(topic: string): Promise<number> {
    const meta = await this.admin.fetchTopicMetadata({ topics: [topic] });
    return meta.topics[0]?.partitions.length ?? 0;
  }

  async committedOffsets(groupId: string): Promise<PartitionOffset[]> {
    const topics = await this.admin.fetchOffsets({ groupId });
    const out: PartitionOffset[] = [];
    for (const t of topics) {
      for (const p of t.partitions) {
        const offset = Number(p.offset);
        if (offset >= 0) out.push({ topic: t.topic, partition: p.partition, offset });
      }
    }
    return out;
  }

  async setCommittedOffsets(groupId: string, offsets: readonly PartitionOffset[]): Promise<void> {
    const byTopic = new Map<string, { partition: number; offset: string }[]>();
    for (const o of offsets) {
      let list = byTopic.get(o.topic);
      if (list === undefined) byTopic.set(o.topic, (list = []));
      list.push({ partition: o.partition, offset: String(o.offset) });
    }
    for (const [topic, partitions] of byTopic) await this.admin.setOffsets({ groupId, topic, partitions });
  }

  async deleteGroup(groupId: string): Promise<void> {
    try {
      await this.admin.deleteGroups([groupId]);
    } catch (error) {
      // A group that never committed does not exist; deleting it is a no-op.
      if (!/does not exist|GROUP_ID_NOT_FOUND/i.test(String((error as Error).message))) throw error;
    }
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }
}
