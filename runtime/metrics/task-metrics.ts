import type { ConnectorStateName, ConnectorTaskId } from '../cluster/rest-types.js';
import type { ErrorHandlingMetricsSnapshot } from '../errors/error-handling-metrics.js';
import { TaskPluginMetrics, type PluginFamilyGate } from './plugin-metrics.js';
import { SampledWindow } from './sampled-window.js';

export type TaskKind = 'source' | 'sink';

/**
 * What one task counts while it runs: plain numbers bumped once per batch, read only when /metrics is
 * scraped. The names follow Connect's source-task-metrics, sink-task-metrics and connector-task-metrics.
 */
export class TaskMetrics {
  /** Unknown until the connector plugin was found; a task that never got that far only has a status. */
  kind: TaskKind | null = null;
  status: ConnectorStateName = 'UNASSIGNED';
  sourceRecordPollTotal = 0;
  sourceRecordWriteTotal = 0;
  sinkRecordReadTotal = 0;
  sinkRecordSendTotal = 0;
  offsetCommitSuccessTotal = 0;
  offsetCommitFailureTotal = 0;
  /** Records polled (source) or read (sink) per batch, for the `-rate` metrics. */
  readonly inputRecords: SampledWindow;
  /** Records written to Kafka (source) or handed to put() (sink) per batch. */
  readonly outputRecords: SampledWindow;
  /** ms per poll() (source) or put() (sink). */
  readonly batchTimeMs: SampledWindow;
  readonly offsetCommitTimeMs: SampledWindow;
  /** 1 per successful commit, 0 per failed one: the average is Connect's offset-commit-success-percentage. */
  readonly offsetCommitOutcomes: SampledWindow;
  private errorSource: (() => ErrorHandlingMetricsSnapshot) | null = null;
  /** Per assigned partition: records in Kafka after the last delivered batch, as of that batch's fetch. */
  private readonly partitionLag = new Map<string, number>();
  /** The plugin's own families (runtime/api metrics.ts), lent to the task as `context.metrics`. */
  readonly plugin: TaskPluginMetrics;
  /** Per topic: records written to it (source) or consumed from it (sink), for per-topic rates. */
  readonly topicRecords = new Map<string, number>();

  constructor(
    readonly id: ConnectorTaskId,
    readonly now: () => number = Date.now,
    pluginFamilies: PluginFamilyGate = () => undefined,
  ) {
    this.plugin = new TaskPluginMetrics(pluginFamilies, now);
    const start = now();
    this.inputRecords = new SampledWindow(start);
    this.outputRecords = new SampledWindow(start);
    this.batchTimeMs = new SampledWindow(start);
    this.offsetCommitTimeMs = new SampledWindow(start);
    this.offsetCommitOutcomes = new SampledWindow(start);
  }

  /** A source task's poll() returned `records` after `elapsedMs`. */
  recordPoll(records: number, elapsedMs: number, at: number): void {
    this.sourceRecordPollTotal += records;
    this.inputRecords.record(records, at);
    this.batchTimeMs.record(elapsedMs, at);
  }

  /** Kafka acknowledged `records` produced by a source task. */
  recordWrite(records: number): void {
    this.sourceRecordWriteTotal += records;
    this.outputRecords.record(records, this.now());
  }

  /**
   * Counts what a batch wrote to (source) or consumed from (sink) each topic. A batch is mostly runs of one
   * topic, so this costs a map update per run, not per record.
   */
  countTopics(records: readonly { readonly topic: string }[]): void {
    let topic: string | undefined;
    let run = 0;
    for (const record of records) {
      if (record.topic === topic) {
        run++;
        continue;
      }
      if (topic !== undefined) this.topicRecords.set(topic, (this.topicRecords.get(topic) ?? 0) + run);
      topic = record.topic;
      run = 1;
    }
    if (topic !== undefined) this.topicRecords.set(topic, (this.topicRecords.get(topic) ?? 0) + run);
  }

  /** A sink task's consumer handed over a batch of `records`. */
  recordRead(records: number, at: number): void {
    this.sinkRecordReadTotal += records;
    this.inputRecords.record(records, at);
  }

  /** A sink task's put() accepted `records` after `elapsedMs`. */
  recordPut(records: number, elapsedMs: number, at: number): void {
    this.sinkRecordSendTotal += records;
    this.outputRecords.record(records, at);
    this.batchTimeMs.record(elapsedMs, at);
  }

  /** After a delivered batch: `lag` records of the partition (`partitionKey`) were in Kafka beyond it. */
  recordLag(partitionKey: string, lag: number): void {
    this.partitionLag.set(partitionKey, Math.max(0, lag));
  }

  /** The partitions are no longer the task's (revoked, or the task stopped). */
  forgetPartitions(partitionKeys: Iterable<string>): void {
    for (const key of partitionKeys) this.partitionLag.delete(key);
  }

  /** Connect's sink-record-lag-max: the largest partitionLag, NaN before any batch was delivered. */
  get sinkRecordLagMax(): number {
    let max = Number.NaN;
    for (const lag of this.partitionLag.values()) if (!(lag <= max)) max = lag;
    return max;
  }

  recordOffsetCommit(succeeded: boolean, elapsedMs: number): void {
    const at = this.now();
    if (succeeded) this.offsetCommitSuccessTotal++;
    else this.offsetCommitFailureTotal++;
    this.offsetCommitTimeMs.record(elapsedMs, at);
    this.offsetCommitOutcomes.record(succeeded ? 1 : 0, at);
  }

  /** The task's error handler counts per record already; its counters are read at scrape time. */
  trackErrors(source: () => ErrorHandlingMetricsSnapshot): void {
    this.errorSource = source;
  }

  errors(): ErrorHandlingMetricsSnapshot | null {
    return this.errorSource === null ? null : this.errorSource();
  }
}
