/**
 * kafkajs's internal Cluster and Broker, for the Kafka requests its public API does not make: group
 * membership with a custom protocol type (group-membership.ts) and offset commits that carry metadata
 * (kafkajs-cluster-admin.ts). This file is the one place that reaches into kafkajs's internals.
 */
import type { Kafka } from 'kafkajs';

export interface InternalJoinResponse {
  readonly generationId: number;
  readonly leaderId: string;
  readonly memberId: string;
  readonly members: readonly { memberId: string; memberMetadata: Buffer }[];
}

/** One partition of an OffsetCommit request; `metadata` is the committed offset's metadata string. */
export interface InternalOffsetCommitPartition {
  readonly partition: number;
  readonly offset: string;
  readonly metadata: string | null;
}

export interface InternalBroker {
  joinGroup(request: {
    groupId: string;
    sessionTimeout: number;
    rebalanceTimeout: number;
    memberId: string;
    protocolType: string;
    groupProtocols: { name: string; metadata: Buffer }[];
  }): Promise<InternalJoinResponse>;
  syncGroup(request: {
    groupId: string;
    generationId: number;
    memberId: string;
    groupAssignment: { memberId: string; memberAssignment: Buffer }[];
  }): Promise<{ memberAssignment: Buffer | null }>;
  heartbeat(request: { groupId: string; groupGenerationId: number; memberId: string }): Promise<unknown>;
  leaveGroup(request: { groupId: string; memberId: string }): Promise<unknown>;
  offsetCommit(request: {
    groupId: string;
    groupGenerationId: number;
    memberId: string;
    retentionTime?: number;
    topics: { topic: string; partitions: InternalOffsetCommitPartition[] }[];
  }): Promise<{ responses: { topic: string; partitions: { partition: number; errorCode: number }[] }[] }>;
}

export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  findGroupCoordinator(request: { groupId: string }): Promise<InternalBroker>;
}

/** kafkajs keeps its cluster factory behind a private Symbol; find it by its description. */
export function createInternalCluster(kafka: Kafka): InternalCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find(
    (s) => s.description === 'private:Kafka:createCluster',
  );
  const factory = symbol === undefined ? undefined : (kafka as unknown as Record<symbol, unknown>)[symbol];
  if (typeof factory !== 'function')
    throw new Error(
      'this kafkajs version has no internal cluster factory (group membership and offset metadata need it)',
    );
  return (factory as (options: Record<string, unknown>) => InternalCluster)({
    allowAutoTopicCreation: false,
  });
}
