import type { ConnectorConfig } from '../api/connector.js';
import type { KafkaAdmin } from '../kafka/types.js';

const PREFIX = 'topic.creation.';
const GROUP_KEYS = new Set(['include', 'exclude', 'replication.factor', 'partitions']);

export interface TopicCreationGroup {
  readonly name: string;
  readonly include: readonly RegExp[];
  readonly exclude: readonly RegExp[];
  readonly partitions: number;
  readonly replicationFactor: number;
  /** Any other `topic.creation.<group>.<topic config>` (e.g. cleanup.policy). */
  readonly configs: Readonly<Record<string, string>>;
}

function regexList(value: string | undefined): RegExp[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => new RegExp(`^(?:${s})$`));
}

function group(config: ConnectorConfig, name: string, fallbackInclude: string): TopicCreationGroup {
  const prefix = `${PREFIX}${name}.`;
  const configs: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    if (!k.startsWith(prefix)) continue;
    const key = k.slice(prefix.length);
    if (!GROUP_KEYS.has(key)) configs[key] = v;
  }
  const fromDefault = (key: string): number =>
    Number(config[`${prefix}${key}`] ?? config[`${PREFIX}default.${key}`] ?? -1);
  return {
    name,
    include: regexList(config[`${prefix}include`] ?? fallbackInclude),
    exclude: regexList(config[`${prefix}exclude`]),
    partitions: fromDefault('partitions'),
    replicationFactor: fromDefault('replication.factor'),
    configs,
  };
}

/**
 * Connect's topic creation for source connectors: enabled when the worker allows it and the connector
 * sets `topic.creation.default.replication.factor` and `.partitions`. Named groups are tried in the order
 * of `topic.creation.groups`; the default group takes every topic no group claimed.
 */
export function topicCreationGroups(
  config: ConnectorConfig,
  workerEnabled: boolean,
): TopicCreationGroup[] | null {
  if (!workerEnabled) return null;
  if (
    config[`${PREFIX}default.replication.factor`] === undefined ||
    config[`${PREFIX}default.partitions`] === undefined
  ) {
    return null;
  }
  const named = (config[`${PREFIX}groups`] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'default')
    .map((name) => group(config, name, ''));
  return [...named, group(config, 'default', '.*')];
}

export function groupFor(
  groups: readonly TopicCreationGroup[],
  topic: string,
): TopicCreationGroup | undefined {
  return groups.find((g) => g.include.some((r) => r.test(topic)) && !g.exclude.some((r) => r.test(topic)));
}

/** Creates a source task's topics on first use, per the connector's groups; existing topics are left as they are. */
export class TopicCreator {
  private readonly done = new Set<string>();

  constructor(
    private readonly groups: readonly TopicCreationGroup[],
    private readonly admin: () => Promise<KafkaAdmin>,
  ) {}

  async ensure(topic: string): Promise<void> {
    if (this.done.has(topic)) return;
    const g = groupFor(this.groups, topic);
    if (g !== undefined) {
      const admin = await this.admin();
      try {
        if (!(await admin.listTopics()).includes(topic)) {
          // -1 means "broker default"; the Kafka client here speaks CreateTopics v3, which needs explicit
          // numbers, so -1 becomes 1 (a single-broker default).
          await admin.createTopics([
            {
              topic,
              numPartitions: g.partitions > 0 ? g.partitions : 1,
              replicationFactor: g.replicationFactor > 0 ? g.replicationFactor : 1,
              configs: g.configs,
            },
          ]);
        }
      } finally {
        await admin.close();
      }
    }
    this.done.add(topic);
  }
}
