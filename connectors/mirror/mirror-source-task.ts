import {
  kafkaAccessOf,
  Schemas,
  taskMetricsOf,
  type AssignedConsumer,
  type ConnectorConfig,
  type ConsumedMessage,
  type KafkaClusterClient,
  type RecordMetadata,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../runtime/api/index.js';
import {
  parseMirrorSettings,
  parsePartitions,
  TASK_TOPIC_PARTITIONS,
  type MirrorSettings,
} from './mirror-config.js';
import { MirrorSourceMetrics } from './mirror-source-metrics.js';
import { OffsetSyncWriter } from './offset-sync-writer.js';
import { ReplicationProgress } from './replication-progress.js';

const POLL_WAIT_MS = 500;
const MAX_RECORDS_PER_POLL = 10_000;

/** Source partition and offset as MM2 stores them: {cluster, topic, partition} → {offset: last replicated offset}. */
export function mirrorSourcePartition(
  cluster: string,
  topic: string,
  partition: number,
): { cluster: string; topic: string; partition: number } {
  return { cluster, topic, partition };
}

/**
 * MM2's MirrorSourceTask: reads its assigned source partitions from where the last run left off and
 * returns the records, byte for byte, for the remote topic's same partition; after the target
 * acknowledges each one it may write an offset sync.
 */
export class MirrorSourceTask implements SourceTask {
  private settings!: MirrorSettings;
  private clients: KafkaClusterClient[] = [];
  private consumer: AssignedConsumer | null = null;
  private syncs: OffsetSyncWriter | null = null;
  private stopped = false;
  private progress: ReplicationProgress | null = null;
  private metrics: MirrorSourceMetrics | null = null;

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    this.settings = parseMirrorSettings(config);
    this.metrics = new MirrorSourceMetrics(taskMetricsOf(context), this.settings.targetAlias);
    this.metrics.register();
    const partitions = parsePartitions(config[TASK_TOPIC_PARTITIONS]);
    const kafka = kafkaAccessOf(context);
    const source = kafka.connect(this.settings.sourceCluster);
    this.clients.push(source);
    const keys = partitions.map((p) =>
      mirrorSourcePartition(this.settings.sourceAlias, p.topic, p.partition),
    );
    const stored = await context.offsetStorageReader.offsets(keys);
    const starts = partitions.map((p, i) => {
      const offset = stored.get(keys[i]!)?.['offset'];
      return { ...p, offset: typeof offset === 'number' && offset >= 0 ? offset + 1 : null };
    });
    if (this.settings.values.boolean('emit.offset-syncs.enabled')) {
      const syncsClient =
        this.settings.offsetSyncsCluster === this.settings.sourceCluster
          ? source
          : kafka.connect(this.settings.offsetSyncsCluster);
      if (syncsClient !== source) this.clients.push(syncsClient);
      this.syncs = new OffsetSyncWriter(
        await syncsClient.producer(),
        this.settings.offsetSyncsTopic,
        this.settings.values.number('offset.lag.max'),
        context.logger,
      );
    }
    if (starts.length > 0) this.consumer = await source.assignedConsumer({ partitions: starts });
    this.progress = new ReplicationProgress(context.logger);
    context.logger.info('replicating partitions', {
      partitions: starts.length,
      resumed: starts.filter((s) => s.offset !== null).length,
    });
  }

  async poll(): Promise<readonly SourceRecord[] | null> {
    this.syncs?.flushInBackground();
    if (this.consumer === null || this.stopped) {
      await new Promise((r) => setTimeout(r, POLL_WAIT_MS));
      return null;
    }
    const messages = await this.consumer.poll(POLL_WAIT_MS, MAX_RECORDS_PER_POLL);
    let bytes = 0;
    let newest = -1;
    const now = Date.now();
    const records = messages.map((m) => {
      const record = this.toRecord(m);
      bytes += (m.key?.length ?? 0) + (m.value?.length ?? 0);
      newest = Math.max(newest, m.timestamp);
      // MM2 counts the value's bytes, per remote topic-partition.
      this.metrics?.polled(record.topic, m.partition, now - m.timestamp, m.value?.length ?? 0, now);
      return record;
    });
    this.progress?.polled(messages.length, bytes, newest);
    return records;
  }

  private toRecord(m: ConsumedMessage): SourceRecord {
    const { sourceAlias, policy } = this.settings;
    return {
      sourcePartition: mirrorSourcePartition(sourceAlias, m.topic, m.partition),
      sourceOffset: { offset: m.offset },
      topic: policy.formatRemoteTopic(sourceAlias, m.topic),
      kafkaPartition: m.partition,
      keySchema: Schemas.OPTIONAL_BYTES,
      key: m.key,
      valueSchema: Schemas.OPTIONAL_BYTES,
      value: m.value,
      timestamp: m.timestamp,
      headers: m.headers.map((h) => ({ key: h.key, schema: Schemas.OPTIONAL_BYTES, value: h.value })),
    };
  }

  commitRecord(record: SourceRecord, metadata: RecordMetadata | null): void {
    // As MM2: a record without metadata or offset was not written (dropped, or its offset unknown).
    if (metadata === null || metadata.offset < 0) return;
    if (this.metrics !== null && typeof record.timestamp === 'number') {
      const now = Date.now();
      this.metrics.replicated(record.topic, record.kafkaPartition ?? 0, now - record.timestamp, now);
    }
    if (this.syncs === null) return;
    const { topic, partition } = record.sourcePartition as { topic: string; partition: number };
    this.syncs.replicated(topic, partition, record.sourceOffset['offset'] as number, metadata.offset);
  }

  commit(): void {
    this.syncs?.commit();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.syncs?.close().catch(() => undefined);
    await this.consumer?.close().catch(() => undefined);
    await Promise.all(this.clients.splice(0).map((c) => c.close()));
  }
}
