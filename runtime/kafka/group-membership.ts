/**
 * Kafka group membership with a custom protocol type, for distributed workers.
 *
 * kafkajs has no public API for that: its consumer only speaks the `consumer` protocol. Its internal
 * Cluster (findGroupCoordinator) and Broker (joinGroup/syncGroup/heartbeat/leaveGroup) do; they are reached
 * through kafkajs-internal-cluster.ts, the one place to fix if kafkajs changes those internals.
 */
import type { Kafka } from 'kafkajs';
import type {
  GroupMembership,
  GroupMembershipOptions,
  HeartbeatOutcome,
  JoinedGroup,
} from './cluster-types.js';
import { kafkaCall, kafkaError } from './kafka-errors.js';
import {
  createInternalCluster,
  type InternalBroker,
  type InternalCluster,
} from './kafkajs-internal-cluster.js';

const errorType = (error: unknown): string => String((error as { type?: unknown } | null)?.type ?? '');

/** Errors after which the coordinator must be looked up again. */
const COORDINATOR_MOVED = new Set([
  'NOT_COORDINATOR',
  'NOT_COORDINATOR_FOR_GROUP',
  'COORDINATOR_NOT_AVAILABLE',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
]);

export class KafkajsGroupMembership implements GroupMembership {
  private coordinator: InternalBroker | null = null;
  private memberId = '';

  private constructor(
    private readonly cluster: InternalCluster,
    private readonly options: GroupMembershipOptions,
  ) {}

  static async connect(kafka: Kafka, options: GroupMembershipOptions): Promise<KafkajsGroupMembership> {
    const cluster = createInternalCluster(kafka);
    await kafkaCall(`connecting to the coordinator of group ${options.groupId}`, () => cluster.connect());
    return new KafkajsGroupMembership(cluster, options);
  }

  private async broker(): Promise<InternalBroker> {
    this.coordinator ??= await this.cluster.findGroupCoordinator({ groupId: this.options.groupId });
    return this.coordinator;
  }

  /** Forget the coordinator after errors that say it moved or its connection broke. */
  private noteError(error: unknown): void {
    const type = errorType(error);
    if (type === '' || COORDINATOR_MOVED.has(type)) this.coordinator = null;
    if (type === 'UNKNOWN_MEMBER_ID' || type === 'FENCED_INSTANCE_ID') this.memberId = '';
  }

  async join(metadata: Buffer): Promise<JoinedGroup> {
    try {
      const broker = await this.broker();
      const response = await broker.joinGroup({
        groupId: this.options.groupId,
        sessionTimeout: this.options.sessionTimeoutMs,
        rebalanceTimeout: this.options.rebalanceTimeoutMs,
        memberId: this.memberId,
        protocolType: this.options.protocolType,
        groupProtocols: [{ name: this.options.protocolName, metadata }],
      });
      this.memberId = response.memberId;
      return {
        generationId: response.generationId,
        memberId: response.memberId,
        leaderId: response.leaderId,
        members: response.members.map((m) => ({ memberId: m.memberId, metadata: m.memberMetadata })),
      };
    } catch (error) {
      this.noteError(error);
      throw kafkaError(`joining group ${this.options.groupId}`, error);
    }
  }

  async sync(generationId: number, assignments: ReadonlyMap<string, Buffer>): Promise<Buffer> {
    try {
      const broker = await this.broker();
      const response = await broker.syncGroup({
        groupId: this.options.groupId,
        generationId,
        memberId: this.memberId,
        groupAssignment: [...assignments].map(([memberId, memberAssignment]) => ({
          memberId,
          memberAssignment,
        })),
      });
      return response.memberAssignment ?? Buffer.alloc(0);
    } catch (error) {
      this.noteError(error);
      throw kafkaError(`syncing group ${this.options.groupId}`, error);
    }
  }

  async heartbeat(generationId: number): Promise<HeartbeatOutcome> {
    try {
      const broker = await this.broker();
      await broker.heartbeat({
        groupId: this.options.groupId,
        groupGenerationId: generationId,
        memberId: this.memberId,
      });
      return 'ok';
    } catch (error) {
      const type = errorType(error);
      this.noteError(error);
      if (type === 'REBALANCE_IN_PROGRESS' || type === 'ILLEGAL_GENERATION') return 'rebalance';
      if (type === 'UNKNOWN_MEMBER_ID' || type === 'FENCED_INSTANCE_ID') return 'lost';
      throw kafkaError(`heartbeating in group ${this.options.groupId}`, error);
    }
  }

  async leave(): Promise<void> {
    if (this.memberId === '') return;
    try {
      const broker = await this.broker();
      await broker.leaveGroup({ groupId: this.options.groupId, memberId: this.memberId });
    } catch (error) {
      this.noteError(error);
    } finally {
      this.memberId = '';
    }
  }

  async close(): Promise<void> {
    await this.cluster.disconnect().catch(() => undefined);
  }
}
