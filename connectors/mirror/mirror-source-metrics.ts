import type { MetricSample, SampledStat, TaskMetricsRegistry } from '../../runtime/api/index.js';

/** What one replicated partition counts, as MM2's MirrorSourceMetrics per target topic-partition. */
interface PartitionStats {
  readonly labels: Readonly<Record<string, string>>;
  recordCount: number;
  byteCount: number;
  lastRecordAgeMs: number;
  lastLatencyMs: number;
  readonly records: SampledStat;
  readonly bytes: SampledStat;
  readonly recordAge: SampledStat;
  readonly latency: SampledStat;
}

/**
 * MirrorMaker 2's per-partition metrics of MirrorSourceTask (MBean
 * `kafka.connect.mirror:type=MirrorSourceConnector,target=<alias>,topic=<remote topic>,partition=<n>`),
 * shown on GET /metrics as Strimzi's JMX exporter rules name them: `kafka_connect_mirror_source_connector_<attribute>`
 * with the labels `destination`, `topic` and `partition`. As in MM2, record age and bytes are taken when a
 * record is polled from the source, record count and replication latency when the target acknowledged it.
 */
export class MirrorSourceMetrics {
  private readonly partitions = new Map<string, PartitionStats[]>();

  constructor(
    private readonly registry: TaskMetricsRegistry,
    private readonly targetAlias: string,
  ) {}

  /** A record of the remote topic's partition was polled: `ageMs` after its timestamp, `bytes` of value. */
  polled(topic: string, partition: number, ageMs: number, bytes: number, at: number): void {
    const stats = this.stats(topic, partition);
    stats.lastRecordAgeMs = ageMs;
    stats.recordAge.record(ageMs, at);
    stats.byteCount += bytes;
    stats.bytes.record(bytes, at);
  }

  /** The target acknowledged a record `latencyMs` after its timestamp. */
  replicated(topic: string, partition: number, latencyMs: number, at: number): void {
    const stats = this.stats(topic, partition);
    stats.recordCount++;
    stats.records.record(1, at);
    stats.lastLatencyMs = latencyMs;
    stats.latency.record(latencyMs, at);
  }

  private stats(topic: string, partition: number): PartitionStats {
    let list = this.partitions.get(topic);
    if (list === undefined) {
      list = [];
      this.partitions.set(topic, list);
    }
    let stats = list[partition];
    if (stats === undefined) {
      const stat = (): SampledStat => this.registry.sampledStat();
      stats = {
        labels: { destination: this.targetAlias, topic, partition: String(partition) },
        recordCount: 0,
        byteCount: 0,
        lastRecordAgeMs: Number.NaN,
        lastLatencyMs: Number.NaN,
        records: stat(),
        bytes: stat(),
        recordAge: stat(),
        latency: stat(),
      };
      list[partition] = stats;
    }
    return stats;
  }

  private *all(): Iterable<PartitionStats> {
    for (const list of this.partitions.values())
      for (const stats of list) if (stats !== undefined) yield stats;
  }

  /** Registers every family with the task's metrics registry. */
  register(): void {
    const attribute = (name: string, help: string, value: (s: PartitionStats) => number): void =>
      this.registry.register(
        {
          name: `kafka_connect_mirror_source_connector_${name}`,
          help,
          type: 'gauge',
          labelNames: ['destination', 'topic', 'partition'],
        },
        (): Iterable<MetricSample> => [...this.all()].map((s) => ({ labels: s.labels, value: value(s) })),
      );
    attribute(
      'record_count',
      'Number of source records replicated to the target cluster.',
      (s) => s.recordCount,
    );
    attribute(
      'record_rate',
      'Average number of source records replicated to the target cluster per second.',
      (s) => s.records.rate(),
    );
    attribute(
      'record_age_ms',
      'The age of incoming source records when replicated.',
      (s) => s.lastRecordAgeMs,
    );
    attribute('record_age_ms_min', 'The min age of incoming source records when replicated.', (s) =>
      s.recordAge.min(),
    );
    attribute('record_age_ms_max', 'The max age of incoming source records when replicated.', (s) =>
      s.recordAge.max(),
    );
    attribute('record_age_ms_avg', 'The average age of incoming source records when replicated.', (s) =>
      s.recordAge.avg(),
    );
    attribute(
      'replication_latency_ms',
      'Time it takes records to propagate source->target.',
      (s) => s.lastLatencyMs,
    );
    attribute('replication_latency_ms_min', 'Min time it takes records to propagate source->target.', (s) =>
      s.latency.min(),
    );
    attribute('replication_latency_ms_max', 'Max time it takes records to propagate source->target.', (s) =>
      s.latency.max(),
    );
    attribute(
      'replication_latency_ms_avg',
      'Average time it takes records to propagate source->target.',
      (s) => s.latency.avg(),
    );
    attribute('byte_count', 'Number of bytes replicated to the target cluster.', (s) => s.byteCount);
    attribute('byte_rate', 'Average number of bytes replicated per second.', (s) => s.bytes.rate());
  }
}
