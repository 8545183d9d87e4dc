import type { PartitionAssigner } from 'kafkajs';
import { AssignerProtocol } from './kafkajs-library.js';

/** What one group member subscribes to, as it told the coordinator when joining. */
export interface MemberSubscription {
  readonly memberId: string;
  readonly topics: readonly string[];
}

/** Partitions per topic, for each member id (members that get nothing map to an empty object). */
export type GroupAssignment = Map<string, Record<string, number[]>>;

/**
 * The Java consumer's RoundRobinAssignor: every topic-partition in (topic, partition) order goes to the
 * next member, in member id order, that subscribes to its topic. Members with different subscriptions
 * (two connectors sharing a group.id, tasks of a topics.regex sink that have not all seen a new topic)
 * each get the partitions of their own topics.
 */
export function assignRoundRobin(
  members: readonly MemberSubscription[],
  partitionsOf: (topic: string) => readonly number[],
): GroupAssignment {
  const sorted = [...members].sort((a, b) =>
    a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0,
  );
  const assignment: GroupAssignment = new Map(sorted.map((m) => [m.memberId, {}]));
  const topics = [...new Set(sorted.flatMap((m) => m.topics))].sort();
  let next = 0;
  for (const topic of topics) {
    const partitions = [...partitionsOf(topic)].sort((a, b) => a - b);
    for (const partition of partitions) {
      // At least one member subscribes to `topic`, so this ends within one turn.
      while (!sorted[next % sorted.length]!.topics.includes(topic)) next++;
      const member = sorted[next % sorted.length]!;
      next++;
      const owned = assignment.get(member.memberId)!;
      (owned[topic] ??= []).push(partition);
    }
  }
  return assignment;
}

/**
 * kafkajs's own round-robin assigner hands out only the topics the leader itself subscribes to, over all
 * members: a member subscribed to anything else never gets a partition and waits silently for ever (seen
 * with two sinks sharing a group, issue 21). This one reads every member's subscription. Its protocol
 * name is the Java consumer's, whose metadata and assignment encodings kafkajs shares.
 */
export const subscriptionRoundRobin: PartitionAssigner = ({ cluster }) => ({
  name: 'roundrobin',
  version: 0,
  async assign({ members }) {
    const subscriptions = members.map((m) => ({
      memberId: m.memberId,
      topics: AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.topics ?? [],
    }));
    // The leader's metadata covers its own topics only: load the other members' topics too.
    await cluster.addMultipleTargetTopics([...new Set(subscriptions.flatMap((s) => s.topics))]);
    const assignment = assignRoundRobin(subscriptions, (topic) =>
      cluster.findTopicPartitionMetadata(topic).map((p) => p.partitionId),
    );
    return [...assignment].map(([memberId, owned]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 0,
        assignment: owned,
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol({ topics }) {
    return {
      name: 'roundrobin',
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    };
  },
});
