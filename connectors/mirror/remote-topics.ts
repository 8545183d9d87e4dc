import type { ClusterAdmin } from '../../runtime/api/index.js';
import type { MirrorSettings, TopicPartitionRef } from './mirror-config.js';
import { isCycle } from './replication-policy.js';

/** Which source topics this flow replicates (MM2's MirrorSourceConnector.shouldReplicateTopic). */
export function shouldReplicateTopic(settings: MirrorSettings, topic: string): boolean {
  const { policy, targetAlias } = settings;
  if (isCycle(policy, topic, targetAlias)) return false;
  if (policy.isHeartbeatsTopic(topic)) return true;
  return settings.topicAllowed(topic) && !policy.isInternalTopic(topic);
}

/** The source partitions to replicate, sorted so task assignment is stable. */
export async function findSourcePartitions(
  settings: MirrorSettings,
  source: ClusterAdmin,
): Promise<{ partitions: TopicPartitionRef[]; counts: Map<string, number> }> {
  const topics = (await source.listTopics()).filter((t) => shouldReplicateTopic(settings, t)).sort();
  const counts = await source.partitionCounts(topics);
  const partitions: TopicPartitionRef[] = [];
  for (const [topic, count] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    for (let partition = 0; partition < count; partition++) partitions.push({ topic, partition });
  }
  return { partitions, counts };
}

/** Source topic configs filtered by config.properties.exclude. */
export async function sourceTopicConfigs(
  settings: MirrorSettings,
  source: ClusterAdmin,
  topics: readonly string[],
): Promise<Map<string, Record<string, string>>> {
  const described = await source.explicitTopicConfigs(topics);
  const out = new Map<string, Record<string, string>>();
  for (const [topic, configs] of described) {
    out.set(
      topic,
      Object.fromEntries(Object.entries(configs).filter(([name]) => settings.configPropertyAllowed(name))),
    );
  }
  return out;
}

/**
 * Creates missing remote topics (source partition count, synced configs) and grows remote topics whose
 * source gained partitions.
 */
export async function ensureRemoteTopics(
  settings: MirrorSettings,
  source: ClusterAdmin,
  target: ClusterAdmin,
  sourceCounts: ReadonlyMap<string, number>,
): Promise<void> {
  const remoteOf = (t: string): string => settings.policy.formatRemoteTopic(settings.sourceAlias, t);
  const remoteCounts = await target.partitionCounts([...sourceCounts.keys()].map(remoteOf));
  const missing = [...sourceCounts.keys()].filter((t) => !remoteCounts.has(remoteOf(t)));
  const syncConfigs = settings.values.boolean('sync.topic.configs.enabled');
  const configs = syncConfigs
    ? await sourceTopicConfigs(settings, source, missing)
    : new Map<string, Record<string, string>>();
  if (missing.length > 0) {
    await target
      .createTopics(
        missing.map((t) => ({
          topic: remoteOf(t),
          numPartitions: sourceCounts.get(t)!,
          replicationFactor: settings.values.number('replication.factor'),
          configs: configs.get(t) ?? {},
        })),
      )
      .catch((error: unknown) => {
        // Another worker (or an earlier run) may have created some of them meanwhile.
        if (!/already exists/i.test(String(error))) throw error;
      });
  }
  for (const [topic, count] of sourceCounts) {
    const remoteCount = remoteCounts.get(remoteOf(topic));
    if (remoteCount !== undefined && remoteCount < count)
      await target.createPartitions(remoteOf(topic), count);
  }
}

/** Copies the source topics' explicit configs onto their remote topics (MM2's syncTopicConfigs). */
export async function syncTopicConfigs(
  settings: MirrorSettings,
  source: ClusterAdmin,
  target: ClusterAdmin,
  topics: readonly string[],
): Promise<void> {
  const configs = await sourceTopicConfigs(settings, source, topics);
  const remoteOf = (t: string): string => settings.policy.formatRemoteTopic(settings.sourceAlias, t);
  const current = await target.explicitTopicConfigs(topics.map(remoteOf));
  for (const [topic, wanted] of configs) {
    const have = current.get(remoteOf(topic));
    if (have === undefined) continue;
    const differs =
      Object.keys(wanted).length !== Object.keys(have).length ||
      Object.entries(wanted).some(([k, v]) => have[k] !== v);
    if (differs) await target.replaceTopicConfigs(remoteOf(topic), wanted);
  }
}

/** Creates a compacted single-partition internal topic unless it exists (offset syncs, checkpoints, heartbeats). */
export async function ensureInternalTopic(
  admin: ClusterAdmin,
  topic: string,
  replicationFactor: number,
): Promise<void> {
  if ((await admin.listTopics()).includes(topic)) return;
  await admin
    .createTopics([{ topic, numPartitions: 1, replicationFactor, configs: { 'cleanup.policy': 'compact' } }])
    .catch((error: unknown) => {
      if (!/already exists/i.test(String(error))) throw error;
    });
}
