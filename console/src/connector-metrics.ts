import type { Sample } from './prometheus-text.js';

/** What one scrape of `/metrics` says about one connector, summed over its tasks on this worker. */
export interface ConnectorCounters {
  /** Records written to Kafka (source) or delivered to the external system (sink), since the tasks started. */
  readonly records: number;
  /** Record errors counted by the error handler. */
  readonly errors: number;
  /** The largest lag of a sink task's partitions, in records; undefined for a source. */
  readonly lag: number | undefined;
  /** Average poll (source) or put (sink) batch time of its tasks, ms. */
  readonly batchMs: number | undefined;
  /** The longest poll or put of its tasks in the metrics window, ms. */
  readonly batchMaxMs: number | undefined;
  /** Average offset commit time of its tasks (how long a batch takes to become durable), ms. */
  readonly commitMs: number | undefined;
}

const RECORDS = new Set([
  'kafka_connect_source_task_source_record_write_total',
  'kafka_connect_sink_task_sink_record_send_total',
]);
const BATCH = new Set([
  'kafka_connect_source_task_poll_batch_avg_time_ms',
  'kafka_connect_sink_task_put_batch_avg_time_ms',
]);
const BATCH_MAX = new Set([
  'kafka_connect_source_task_poll_batch_max_time_ms',
  'kafka_connect_sink_task_put_batch_max_time_ms',
]);
const COMMIT = 'kafka_connect_connector_task_offset_commit_avg_time_ms';

interface Accumulator {
  records: number;
  errors: number;
  lag: number | undefined;
  batchSum: number;
  batchCount: number;
  batchMax: number | undefined;
  commitSum: number;
  commitCount: number;
}

/** Per-connector counters out of a parsed scrape. */
export function connectorCounters(samples: readonly Sample[]): Map<string, ConnectorCounters> {
  const byConnector = new Map<string, Accumulator>();
  for (const sample of samples) {
    const connector = sample.labels['connector'];
    if (connector === undefined || sample.labels['task'] === undefined) continue;
    let acc = byConnector.get(connector);
    if (acc === undefined) {
      acc = {
        records: 0,
        errors: 0,
        lag: undefined,
        batchSum: 0,
        batchCount: 0,
        batchMax: undefined,
        commitSum: 0,
        commitCount: 0,
      };
      byConnector.set(connector, acc);
    }
    if (!Number.isFinite(sample.value)) continue;
    if (RECORDS.has(sample.name)) acc.records += sample.value;
    else if (sample.name === 'kafka_connect_task_error_total_record_errors') acc.errors += sample.value;
    else if (sample.name === 'kafka_connect_sink_task_sink_record_lag_max')
      acc.lag = Math.max(acc.lag ?? 0, sample.value);
    else if (BATCH.has(sample.name)) {
      acc.batchSum += sample.value;
      acc.batchCount++;
    } else if (BATCH_MAX.has(sample.name)) acc.batchMax = Math.max(acc.batchMax ?? 0, sample.value);
    else if (sample.name === COMMIT) {
      acc.commitSum += sample.value;
      acc.commitCount++;
    }
  }
  const counters = new Map<string, ConnectorCounters>();
  for (const [name, acc] of byConnector) {
    counters.set(name, {
      records: acc.records,
      errors: acc.errors,
      lag: acc.lag,
      batchMs: acc.batchCount === 0 ? undefined : acc.batchSum / acc.batchCount,
      batchMaxMs: acc.batchMax,
      commitMs: acc.commitCount === 0 ? undefined : acc.commitSum / acc.commitCount,
    });
  }
  return counters;
}
