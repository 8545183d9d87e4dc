/**
 * Client-agnostic shapes for distributed mode: reading an internal topic from its start and tailing it,
 * and taking part in a Kafka group with a custom protocol (Connect's `connect` protocol type).
 */
import type { ConsumedMessage, KafkaClient } from './types.js';

/** Reads one topic from the beginning and keeps tailing it, delivering every record in offset order per partition. */
export interface TopicTailReader {
  /** Starts reading; resolves once every record present when it was called has been delivered. */
  start(onRecord: (record: ConsumedMessage) => void): Promise<void>;
  /** Resolves once every record written before the call has been delivered. */
  readToEnd(): Promise<void>;
  stop(): Promise<void>;
}

export interface GroupMembershipOptions {
  readonly groupId: string;
  /** e.g. `connect` */
  readonly protocolType: string;
  /** Name of the one assignment protocol this member speaks. */
  readonly protocolName: string;
  readonly sessionTimeoutMs: number;
  readonly rebalanceTimeoutMs: number;
}

export interface GroupMemberInfo {
  readonly memberId: string;
  readonly metadata: Buffer;
}

export interface JoinedGroup {
  readonly generationId: number;
  readonly memberId: string;
  readonly leaderId: string;
  /** Every member with its metadata; only the leader receives them (empty for followers). */
  readonly members: readonly GroupMemberInfo[];
}

/** How a heartbeat ended: `rebalance` asks the member to rejoin; `lost` means its membership is gone (rejoin as new). */
export type HeartbeatOutcome = 'ok' | 'rebalance' | 'lost';

/**
 * One member's side of Kafka's classic group protocol (JoinGroup / SyncGroup / Heartbeat / LeaveGroup)
 * with opaque member metadata and assignments, so the caller owns the assignment protocol.
 */
export interface GroupMembership {
  join(metadata: Buffer): Promise<JoinedGroup>;
  /** The leader passes every member's assignment; followers pass none. Returns this member's assignment. */
  sync(generationId: number, assignments: ReadonlyMap<string, Buffer>): Promise<Buffer>;
  heartbeat(generationId: number): Promise<HeartbeatOutcome>;
  /** Leaves the group (the coordinator rebalances at once instead of waiting for the session timeout). */
  leave(): Promise<void>;
  close(): Promise<void>;
}

/** A Kafka client that can also serve a distributed worker. */
export interface ClusterKafkaClient extends KafkaClient {
  topicReader(topic: string): TopicTailReader;
  groupMembership(options: GroupMembershipOptions): Promise<GroupMembership>;
}
