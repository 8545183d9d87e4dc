/** How remote topics are named (MM2's ReplicationPolicy), which decides cycle prevention too. */
export interface ReplicationPolicy {
  /** The name on the target cluster of `topic` from cluster `sourceAlias`. */
  formatRemoteTopic(sourceAlias: string, topic: string): string;
  /** The cluster a (remote) topic came from, or null for a topic that originated where it is. */
  topicSource(topic: string): string | null;
  /** The topic's name on its source cluster, or null when it is not a remote topic. */
  upstreamTopic(topic: string): string | null;
  offsetSyncsTopic(clusterAlias: string): string;
  checkpointsTopic(clusterAlias: string): string;
  heartbeatsTopic(): string;
  isHeartbeatsTopic(topic: string): boolean;
  isInternalTopic(topic: string): boolean;
}

export const DEFAULT_SEPARATOR = '.';
const HEARTBEATS = 'heartbeats';

/** MM2's DefaultReplicationPolicy: `<sourceAlias><separator><topic>`. */
export class DefaultReplicationPolicy implements ReplicationPolicy {
  constructor(readonly separator: string = DEFAULT_SEPARATOR) {}

  formatRemoteTopic(sourceAlias: string, topic: string): string {
    return `${sourceAlias}${this.separator}${topic}`;
  }

  topicSource(topic: string): string | null {
    const at = topic.indexOf(this.separator);
    return at <= 0 ? null : topic.slice(0, at);
  }

  upstreamTopic(topic: string): string | null {
    const source = this.topicSource(topic);
    return source === null ? null : topic.slice(source.length + this.separator.length);
  }

  offsetSyncsTopic(clusterAlias: string): string {
    return `mm2-offset-syncs${this.separator}${clusterAlias}${this.separator}internal`;
  }

  checkpointsTopic(clusterAlias: string): string {
    return `${clusterAlias}${this.separator}checkpoints${this.separator}internal`;
  }

  heartbeatsTopic(): string {
    return HEARTBEATS;
  }

  isHeartbeatsTopic(topic: string): boolean {
    return topic === HEARTBEATS || topic.endsWith(`${this.separator}${HEARTBEATS}`);
  }

  isInternalTopic(topic: string): boolean {
    const mm2Internal =
      (topic.startsWith('mm2') && topic.endsWith('.internal')) || topic.endsWith('.checkpoints.internal');
    const kafkaInternal = topic.startsWith('__') || topic.startsWith('.');
    const connectInternal = topic.endsWith('-internal') || topic.endsWith('.internal');
    return mm2Internal || kafkaInternal || connectInternal;
  }
}

/**
 * MM2's IdentityReplicationPolicy: remote topics keep their names (heartbeats still get the prefix).
 * It cannot tell a replicated topic from a local one, so it cannot prevent cycles: use it for
 * one-way flows only.
 */
export class IdentityReplicationPolicy extends DefaultReplicationPolicy {
  override formatRemoteTopic(sourceAlias: string, topic: string): string {
    return this.looksLikeHeartbeats(topic) ? super.formatRemoteTopic(sourceAlias, topic) : topic;
  }

  override topicSource(topic: string): string | null {
    return this.looksLikeHeartbeats(topic) ? super.topicSource(topic) : null;
  }

  override upstreamTopic(topic: string): string | null {
    return this.looksLikeHeartbeats(topic) ? super.upstreamTopic(topic) : topic;
  }

  private looksLikeHeartbeats(topic: string): boolean {
    return this.isHeartbeatsTopic(topic);
  }
}

const POLICIES: Record<string, (separator: string) => ReplicationPolicy> = {
  DefaultReplicationPolicy: (s) => new DefaultReplicationPolicy(s),
  IdentityReplicationPolicy: (s) => new IdentityReplicationPolicy(s),
};

/** `replication.policy.class` by MM2 class name (fully qualified or simple). */
export function replicationPolicyFor(className: string, separator: string): ReplicationPolicy {
  const simple = className.slice(className.lastIndexOf('.') + 1);
  const create = POLICIES[simple];
  if (create === undefined)
    throw new Error(
      `unknown replication.policy.class ${className}; use DefaultReplicationPolicy or IdentityReplicationPolicy`,
    );
  return create(separator);
}

/** True when `topic` came (possibly through several hops) from `targetAlias`: sending it there would loop. */
export function isCycle(policy: ReplicationPolicy, topic: string, targetAlias: string): boolean {
  let current: string | null = topic;
  for (let hops = 0; current !== null && hops < 100; hops++) {
    const source = policy.topicSource(current);
    if (source === null) return false;
    if (source === targetAlias) return true;
    const upstream = policy.upstreamTopic(current);
    if (upstream === null || upstream === current) return false;
    current = upstream;
  }
  return false;
}
