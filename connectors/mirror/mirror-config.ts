import {
  ConfigValues,
  type ConfigDef,
  type ConfigIssue,
  type ConfigKey,
  type ConnectorConfig,
} from '../../runtime/api/index.js';
import { replicationPolicyFor, type ReplicationPolicy } from './replication-policy.js';

const key = (
  type: ConfigKey['type'],
  def: ConfigKey['default'],
  documentation: string,
  importance: ConfigKey['importance'] = 'low',
): ConfigKey => ({
  type,
  default: def,
  importance,
  documentation,
});

/** MM2's config keys (MirrorConnectorConfig, MirrorSourceConfig, MirrorCheckpointConfig, MirrorHeartbeatConfig) with MM2's defaults. */
export const mirrorConfigDef: ConfigDef = {
  'source.cluster.alias': {
    type: 'string',
    importance: 'high',
    documentation: 'Alias of the source cluster (the prefix of remote topics).',
    validator: { nonEmpty: true },
  },
  'target.cluster.alias': key(
    'string',
    'target',
    'Alias of the target cluster; the worker must produce to this cluster.',
    'high',
  ),
  'source.cluster.bootstrap.servers': key(
    'string',
    null,
    'Source cluster bootstrap servers (other `source.cluster.*` keys are client settings).',
    'high',
  ),
  'target.cluster.bootstrap.servers': key(
    'string',
    null,
    'Target cluster bootstrap servers (other `target.cluster.*` keys are client settings).',
    'high',
  ),
  'replication.policy.class': key(
    'class',
    'org.apache.kafka.connect.mirror.DefaultReplicationPolicy',
    'DefaultReplicationPolicy (<alias>.<topic>) or IdentityReplicationPolicy (same name; one-way flows only).',
  ),
  'replication.policy.separator': key(
    'string',
    '.',
    'Separator between the source alias and the topic name in remote topics.',
  ),
  topics: key('list', ['.*'], 'Topics to replicate: names or regular expressions, comma separated.', 'high'),
  'topics.exclude': key(
    'list',
    ['.*[\\-\\.]internal', '.*\\.replica', '__.*'],
    'Topics never replicated (names or regular expressions).',
  ),
  'refresh.topics.enabled': key('boolean', true, 'Look for new topics and partitions periodically.'),
  'refresh.topics.interval.seconds': key(
    'long',
    600,
    'How often to look for new source topics and partitions.',
  ),
  'sync.topic.configs.enabled': key(
    'boolean',
    true,
    'Copy topic configs set on source topics to remote topics.',
  ),
  'sync.topic.configs.interval.seconds': key('long', 600, 'How often to copy topic configs.'),
  'config.properties.exclude': key(
    'list',
    [
      'follower\\.replication\\.throttled\\.replicas',
      'leader\\.replication\\.throttled\\.replicas',
      'message\\.timestamp\\.difference\\.max\\.ms',
      'message\\.timestamp\\.type',
      'unclean\\.leader\\.election\\.enable',
      'min\\.insync\\.replicas',
    ],
    'Topic config names (regular expressions) never copied.',
  ),
  'replication.factor': key('int', 2, 'Replication factor of remote topics created on the target.'),
  'offset-syncs.topic.replication.factor': key('int', 3, 'Replication factor of the offset-syncs topic.'),
  'offset-syncs.topic.location': {
    ...key('string', 'source', 'Cluster holding mm2-offset-syncs.<target>.internal: source or target.'),
    validator: { oneOf: ['source', 'target'] },
  },
  'emit.offset-syncs.enabled': key('boolean', true, 'Write offset syncs (needed for checkpoints).'),
  'offset.lag.max': key(
    'long',
    100,
    'How far the last offset sync may fall behind before a new one is written.',
  ),
  groups: key('list', ['.*'], 'Consumer groups to checkpoint (names or regular expressions).', 'high'),
  'groups.exclude': key(
    'list',
    ['console-consumer-.*', 'connect-.*', '__.*'],
    'Consumer groups never checkpointed.',
  ),
  'refresh.groups.enabled': key('boolean', true, 'Look for new consumer groups periodically.'),
  'refresh.groups.interval.seconds': key('long', 600, 'How often to look for new consumer groups.'),
  'emit.checkpoints.enabled': key(
    'boolean',
    true,
    'Emit checkpoints to <source>.checkpoints.internal on the target.',
  ),
  'emit.checkpoints.interval.seconds': key('long', 60, 'How often to emit checkpoints.'),
  'sync.group.offsets.enabled': key(
    'boolean',
    false,
    'Commit translated offsets to the target group when it has no active members.',
  ),
  'sync.group.offsets.interval.seconds': key(
    'long',
    60,
    'How often to commit translated group offsets on the target.',
  ),
  'checkpoints.topic.replication.factor': key('int', 3, 'Replication factor of the checkpoints topic.'),
  'emit.heartbeats.enabled': key('boolean', true, 'Emit heartbeats to the target.'),
  'emit.heartbeats.interval.seconds': key('long', 1, 'How often to emit heartbeats.'),
  'heartbeats.topic.replication.factor': key('int', 3, 'Replication factor of the heartbeats topic.'),
};

/** A comma list of names or regular expressions, each matching a whole name (MM2's DefaultTopicFilter). */
export function nameMatcher(patterns: readonly string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => false;
  const regex = new RegExp(`^(?:${patterns.map((p) => `(?:${p})`).join('|')})$`);
  return (name) => regex.test(name);
}

export interface MirrorSettings {
  readonly values: ConfigValues;
  readonly sourceAlias: string;
  readonly targetAlias: string;
  readonly policy: ReplicationPolicy;
  readonly sourceCluster: Record<string, string>;
  readonly targetCluster: Record<string, string>;
  readonly topicAllowed: (topic: string) => boolean;
  readonly groupAllowed: (group: string) => boolean;
  readonly configPropertyAllowed: (name: string) => boolean;
  /** mm2-offset-syncs.<target>.internal */
  readonly offsetSyncsTopic: string;
  /** Client properties of the cluster holding the offset-syncs topic. */
  readonly offsetSyncsCluster: Record<string, string>;
}

function clusterProperties(values: ConfigValues, side: 'source' | 'target'): Record<string, string> {
  const props = values.withPrefix(`${side}.cluster.`);
  delete props['alias'];
  if (props['bootstrap.servers'] === undefined || props['bootstrap.servers'].trim() === '') {
    throw new Error(`Missing required configuration "${side}.cluster.bootstrap.servers"`);
  }
  props['client.id'] ??=
    `sluice-mirror-${values.string('source.cluster.alias')}->${values.string('target.cluster.alias')}-${side}`;
  return props;
}

export function parseMirrorSettings(config: ConnectorConfig): MirrorSettings {
  const values = ConfigValues.parseOrThrow(mirrorConfigDef, config);
  const policy = replicationPolicyFor(
    values.string('replication.policy.class'),
    values.string('replication.policy.separator'),
  );
  const sourceCluster = clusterProperties(values, 'source');
  const targetCluster = clusterProperties(values, 'target');
  const included = nameMatcher(values.list('topics'));
  const excluded = nameMatcher(values.list('topics.exclude'));
  const groupsIncluded = nameMatcher(values.list('groups'));
  const groupsExcluded = nameMatcher(values.list('groups.exclude'));
  const configExcluded = nameMatcher(values.list('config.properties.exclude'));
  const targetAlias = values.string('target.cluster.alias');
  return {
    values,
    sourceAlias: values.string('source.cluster.alias'),
    targetAlias,
    policy,
    sourceCluster,
    targetCluster,
    topicAllowed: (t) => included(t) && !excluded(t),
    groupAllowed: (g) => groupsIncluded(g) && !groupsExcluded(g),
    configPropertyAllowed: (n) => !configExcluded(n),
    offsetSyncsTopic: policy.offsetSyncsTopic(targetAlias),
    offsetSyncsCluster:
      values.string('offset-syncs.topic.location') === 'target' ? targetCluster : sourceCluster,
  };
}

/** Task config key listing a source task's partitions, `topic-partition` comma separated (MM2's name). */
export const TASK_TOPIC_PARTITIONS = 'task.assigned.partitions';
/** Task config key listing a checkpoint task's consumer groups (MM2's name). */
export const TASK_CONSUMER_GROUPS = 'task.assigned.groups';
/** Task config key numbering source and checkpoint tasks, as MM2 writes it into their configs (its metrics tag). */
export const TASK_INDEX = 'task.index';

export interface TopicPartitionRef {
  readonly topic: string;
  readonly partition: number;
}

export function formatPartitions(partitions: readonly TopicPartitionRef[]): string {
  return partitions.map((p) => `${p.topic}-${p.partition}`).join(',');
}

export function parsePartitions(text: string | undefined): TopicPartitionRef[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((entry) => {
    const at = entry.lastIndexOf('-');
    return { topic: entry.slice(0, at), partition: Number(entry.slice(at + 1)) };
  });
}

/** Splits items round robin over at most `maxTasks` lists (MM2 spreads a source connector's partitions this way). */
export function roundRobin<T>(items: readonly T[], maxTasks: number): T[][] {
  const count = Math.max(1, Math.min(maxTasks, items.length));
  const out: T[][] = Array.from({ length: count }, () => []);
  items.forEach((item, i) => out[i % count]!.push(item));
  return items.length === 0 ? [] : out;
}

/**
 * Splits items into at most `maxTasks` runs of consecutive items, the first ones one longer when they do
 * not divide evenly (Connect's ConnectorUtils.groupPartitions, which MM2 spreads consumer groups with).
 */
export function contiguousGroups<T>(items: readonly T[], maxTasks: number): T[][] {
  const count = Math.min(Math.max(1, maxTasks), items.length);
  const out: T[][] = [];
  const perGroup = Math.floor(items.length / Math.max(1, count));
  const leftover = items.length - count * perGroup;
  let next = 0;
  for (let group = 0; group < count; group++) {
    const size = group < leftover ? perGroup + 1 : perGroup;
    out.push(items.slice(next, next + size));
    next += size;
  }
  return out;
}

/** Issues with a mirror connector config, each naming its key (for PUT /connector-plugins/.../validate). */
export function validateMirrorConfig(config: ConnectorConfig): ConfigIssue[] {
  const issues = [...ConfigValues.parse(mirrorConfigDef, config).issues];
  for (const side of ['source', 'target']) {
    const key = `${side}.cluster.bootstrap.servers`;
    if ((config[key] ?? '').trim() === '')
      issues.push({ key, message: `Missing required configuration "${key}"` });
  }
  try {
    replicationPolicyFor(config['replication.policy.class'] ?? 'DefaultReplicationPolicy', '.');
  } catch (error) {
    issues.push({ key: 'replication.policy.class', message: (error as Error).message });
  }
  return issues;
}
