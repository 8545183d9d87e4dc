import {
  kafkaAccessOf,
  Schemas,
  type AssignedConsumer,
  type ClusterAdmin,
  type ConnectorConfig,
  type KafkaClusterClient,
  type Logger,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../runtime/api/index.js';
import { encodeCheckpointKey, encodeCheckpointValue, type Checkpoint } from './checkpoint.js';
import { parseMirrorSettings, TASK_CONSUMER_GROUPS, type MirrorSettings } from './mirror-config.js';
import { decodeOffsetSync } from './offset-sync.js';
import { OffsetSyncStore } from './offset-sync-store.js';
import { shouldReplicateTopic } from './remote-topics.js';

const IDLE_POLL_MS = 1_000;

/**
 * MM2's MirrorCheckpointTask: reads the offset syncs, translates its groups' committed source offsets
 * into target offsets, emits them as checkpoints and (sync.group.offsets.enabled) commits them to the
 * same group on the target while nobody consumes there, never moving a group backwards.
 */
export class MirrorCheckpointTask implements SourceTask {
  private settings!: MirrorSettings;
  private logger!: Logger;
  private groups: string[] = [];
  private clients: KafkaClusterClient[] = [];
  private source!: ClusterAdmin;
  private target!: ClusterAdmin;
  private syncsClient!: KafkaClusterClient;
  private syncsAdmin!: ClusterAdmin;
  private syncsConsumer: AssignedConsumer | null = null;
  private readonly store = new OffsetSyncStore();
  /** The offset-syncs topic's end when reading began: translation waits until it is read (MM2's readToEnd). */
  private syncsEnd = 0;
  private syncsRead = 0;
  private readToEnd = false;
  private nextCheckpointAt = 0;
  private nextGroupSyncAt = 0;
  private readonly latest = new Map<string, Checkpoint[]>();
  private stopped = false;

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    this.settings = parseMirrorSettings(config);
    this.logger = context.logger;
    this.groups = (config[TASK_CONSUMER_GROUPS] ?? '').split(',').filter((g) => g !== '');
    const kafka = kafkaAccessOf(context);
    const source = kafka.connect(this.settings.sourceCluster);
    const target = kafka.connect(this.settings.targetCluster);
    this.clients.push(source, target);
    this.source = await source.admin();
    this.target = await target.admin();
    this.syncsClient = this.settings.offsetSyncsCluster === this.settings.sourceCluster ? source : target;
    this.syncsAdmin = this.syncsClient === source ? this.source : this.target;
    await this.openSyncsReader();
    const now = Date.now();
    this.nextCheckpointAt = now;
    this.nextGroupSyncAt = now;
  }

  /**
   * Starts reading the offset-syncs topic from the beginning once it exists: on a fresh cluster the
   * source connector may create it only after this task started.
   */
  private async openSyncsReader(): Promise<void> {
    const topic = this.settings.offsetSyncsTopic;
    if (!(await this.syncsAdmin.listTopics()).includes(topic)) return;
    this.syncsEnd = (await this.syncsAdmin.endOffsets(topic)).find((o) => o.partition === 0)?.offset ?? 0;
    this.syncsConsumer = await this.syncsClient.assignedConsumer({
      partitions: [{ topic, partition: 0, offset: null }],
    });
  }

  private async readSyncs(): Promise<void> {
    if (this.syncsConsumer === null) await this.openSyncsReader();
    if (this.syncsConsumer === null) return;
    for (;;) {
      const messages = await this.syncsConsumer.poll(0, 10_000);
      for (const m of messages) {
        if (m.key !== null && m.value !== null) this.store.add(decodeOffsetSync(m.key, m.value));
        this.syncsRead = m.offset + 1;
      }
      if (messages.length === 0) break;
    }
    if (!this.readToEnd && this.syncsRead >= this.syncsEnd) {
      this.readToEnd = true;
      this.logger.info('read the offset syncs written so far; translating group offsets', {
        topic: this.settings.offsetSyncsTopic,
        syncs: this.syncsRead,
      });
    }
  }

  async poll(): Promise<readonly SourceRecord[] | null> {
    await new Promise((r) => setTimeout(r, IDLE_POLL_MS));
    if (this.stopped) return null;
    await this.readSyncs();
    // Translating before the syncs written so far are read would use stale syncs: still safe, but coarse.
    if (!this.readToEnd) return null;
    const now = Date.now();
    const { values } = this.settings;
    let records: SourceRecord[] = [];
    if (now >= this.nextCheckpointAt) {
      this.nextCheckpointAt = now + values.number('emit.checkpoints.interval.seconds') * 1000;
      records = await this.checkpointRecords();
    }
    if (values.boolean('sync.group.offsets.enabled') && now >= this.nextGroupSyncAt) {
      this.nextGroupSyncAt = now + values.number('sync.group.offsets.interval.seconds') * 1000;
      await this.syncGroupOffsets().catch((error: unknown) =>
        this.logger.warn('could not sync group offsets', { error: String(error) }),
      );
    }
    return records;
  }

  private async checkpointsFor(group: string): Promise<Checkpoint[]> {
    const { policy, sourceAlias } = this.settings;
    const out: Checkpoint[] = [];
    for (const committed of await this.source.committedOffsets(group)) {
      if (!shouldReplicateTopic(this.settings, committed.topic)) continue;
      const downstream = this.store.translateDownstream(
        committed.topic,
        committed.partition,
        committed.offset,
      );
      if (downstream === null || downstream < 0) continue;
      out.push({
        group,
        topic: policy.formatRemoteTopic(sourceAlias, committed.topic),
        partition: committed.partition,
        upstreamOffset: committed.offset,
        downstreamOffset: downstream,
        // The group's own commit metadata travels with its offset (MM2's Checkpoint.metadata).
        metadata: committed.metadata ?? '',
      });
    }
    return out;
  }

  private async checkpointRecords(): Promise<SourceRecord[]> {
    const topic = this.settings.policy.checkpointsTopic(this.settings.sourceAlias);
    const records: SourceRecord[] = [];
    for (const group of this.groups) {
      let checkpoints: Checkpoint[];
      try {
        checkpoints = await this.checkpointsFor(group);
      } catch (error) {
        this.logger.warn('could not read committed offsets of a group', { group, error: String(error) });
        continue;
      }
      this.latest.set(group, checkpoints);
      for (const c of checkpoints) {
        records.push({
          sourcePartition: { group: c.group, topic: c.topic, partition: c.partition },
          sourceOffset: { offset: 0 },
          topic,
          kafkaPartition: 0,
          keySchema: Schemas.OPTIONAL_BYTES,
          key: encodeCheckpointKey(c),
          valueSchema: Schemas.OPTIONAL_BYTES,
          value: encodeCheckpointValue(c),
          timestamp: Date.now(),
          headers: [],
        });
      }
    }
    return records;
  }

  /**
   * Commits translated offsets to idle target groups, only where that moves them forward, with the
   * metadata the group committed upstream (MM2 commits Checkpoint.offsetAndMetadata()).
   */
  private async syncGroupOffsets(): Promise<void> {
    for (const [group, checkpoints] of this.latest) {
      if (checkpoints.length === 0) continue;
      if (await this.target.groupHasMembers(group)) continue;
      const current = new Map(
        (await this.target.committedOffsets(group)).map((o) => [`${o.topic}\u0000${o.partition}`, o.offset]),
      );
      const forward = checkpoints
        .filter((c) => (current.get(`${c.topic}\u0000${c.partition}`) ?? -1) < c.downstreamOffset)
        .map((c) => ({
          topic: c.topic,
          partition: c.partition,
          offset: c.downstreamOffset,
          metadata: c.metadata,
        }));
      if (forward.length > 0) {
        await this.target.setCommittedOffsets(group, forward);
        this.logger.debug('synced group offsets to the target', { group, partitions: forward.length });
      }
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.syncsConsumer?.close().catch(() => undefined);
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }
}
