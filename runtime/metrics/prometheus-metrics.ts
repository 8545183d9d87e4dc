import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { ConnectorStateName } from '../cluster/rest-types.js';
import type { ErrorHandlingMetricsSnapshot } from '../errors/error-handling-metrics.js';
import type { MetricFamily } from '../api/metrics.js';
import { PluginFamilyDefinitions } from './plugin-metrics.js';
import type { TaskKind, TaskMetrics } from './task-metrics.js';
import { WorkerMetrics } from './worker-metrics.js';

type Labels = Readonly<Record<string, string>>;
type Sample = readonly [Labels, number];

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge';
  readonly labelNames: readonly string[];
  samples(workers: readonly WorkerMetrics[], now: number): Iterable<Sample>;
}

const TASK_LABELS = ['connector', 'task'] as const;
const labelsOf = (t: TaskMetrics): Labels => ({ connector: t.id.connector, task: String(t.id.task) });

function* tasksOf(workers: readonly WorkerMetrics[], kind?: TaskKind): Iterable<TaskMetrics> {
  for (const worker of workers)
    for (const task of worker.tasks()) if (kind === undefined || task.kind === kind) yield task;
}

/** A per-task family: one series per task of `kind` (every task when undefined). */
function taskFamily(
  name: string,
  help: string,
  type: Family['type'],
  kind: TaskKind | undefined,
  value: (task: TaskMetrics, now: number) => number,
): Family {
  return {
    name,
    help,
    type,
    labelNames: TASK_LABELS,
    *samples(workers, now) {
      for (const task of tasksOf(workers, kind)) yield [labelsOf(task), value(task, now)];
    },
  };
}

/** task-error-metrics: every task has an error handler; its counters are read as they are. */
function errorFamily(
  attribute: string,
  help: string,
  type: Family['type'],
  value: (errors: ErrorHandlingMetricsSnapshot) => number,
): Family {
  return {
    name: `kafka_connect_task_error_${attribute}`,
    help,
    type,
    labelNames: TASK_LABELS,
    *samples(workers) {
      for (const task of tasksOf(workers)) {
        const errors = task.errors();
        if (errors !== null) yield [labelsOf(task), value(errors)];
      }
    },
  };
}

/** A worker-wide value, summed over the workers of this process. */
function workerFamily(
  name: string,
  help: string,
  type: Family['type'],
  value: (worker: WorkerMetrics) => number,
): Family {
  return {
    name,
    help,
    type,
    labelNames: [],
    *samples(workers) {
      yield [{}, workers.reduce((sum, w) => sum + value(w), 0)];
    },
  };
}

/** Rebalance values exist only once a worker took part in a group round (distributed mode). */
function rebalanceFamily(
  name: string,
  help: string,
  type: Family['type'],
  value: (worker: WorkerMetrics, now: number) => number,
): Family {
  return {
    name,
    help,
    type,
    labelNames: [],
    *samples(workers, now) {
      const members = workers.filter((w) => w.lastRebalanceAt !== null);
      if (members.length > 0) yield [{}, members.reduce((sum, w) => sum + value(w, now), 0)];
    },
  };
}

/** Connect's status strings, as the JMX exporter's `status` label shows them. */
const statusLabel = (state: ConnectorStateName): string => state.toLowerCase();

function connectorTaskCounts(workers: readonly WorkerMetrics[]): Map<string, TaskMetrics[]> {
  const byConnector = new Map<string, TaskMetrics[]>();
  for (const worker of workers) for (const { name } of worker.connectors()) byConnector.set(name, []);
  for (const task of tasksOf(workers)) {
    const list = byConnector.get(task.id.connector) ?? [];
    list.push(task);
    byConnector.set(task.id.connector, list);
  }
  return byConnector;
}

function connectorTaskCountFamily(name: string, help: string, state: ConnectorStateName | null): Family {
  return {
    name,
    help,
    type: 'gauge',
    labelNames: ['connector'],
    *samples(workers) {
      for (const [connector, tasks] of connectorTaskCounts(workers))
        yield [{ connector }, state === null ? tasks.length : tasks.filter((t) => t.status === state).length];
    },
  };
}

/**
 * Every family /metrics shows, named as the Prometheus JMX exporter's usual Kafka Connect rules (Strimzi's
 * kafka-connect-metrics.yaml) name Connect's MBean attributes; docs/metrics.md lists the mapping.
 */
const families: readonly Family[] = [
  // connector-task-metrics
  {
    name: 'kafka_connect_connector_task_status',
    help: 'The status of the connector task; the series with value 1 carries the current status.',
    type: 'gauge',
    labelNames: [...TASK_LABELS, 'status'],
    *samples(workers) {
      for (const task of tasksOf(workers)) yield [{ ...labelsOf(task), status: statusLabel(task.status) }, 1];
    },
  },
  taskFamily(
    'kafka_connect_connector_task_offset_commit_avg_time_ms',
    'The average time in milliseconds taken by this task to commit offsets.',
    'gauge',
    undefined,
    (t, now) => t.offsetCommitTimeMs.avg(now),
  ),
  taskFamily(
    'kafka_connect_connector_task_offset_commit_max_time_ms',
    'The maximum time in milliseconds taken by this task to commit offsets.',
    'gauge',
    undefined,
    (t, now) => t.offsetCommitTimeMs.max(now),
  ),
  taskFamily(
    'kafka_connect_connector_task_offset_commit_success_percentage',
    "The average fraction (0-1) of this task's offset commit attempts that succeeded.",
    'gauge',
    undefined,
    (t, now) => t.offsetCommitOutcomes.avg(now),
  ),
  taskFamily(
    'kafka_connect_connector_task_offset_commit_failure_percentage',
    "The average fraction (0-1) of this task's offset commit attempts that failed.",
    'gauge',
    undefined,
    (t, now) => 1 - t.offsetCommitOutcomes.avg(now),
  ),
  taskFamily(
    'sluice_task_offset_commit_success_total',
    'Offset commits of this task that succeeded (source: offsets stored; sink: consumer group committed).',
    'counter',
    undefined,
    (t) => t.offsetCommitSuccessTotal,
  ),
  taskFamily(
    'sluice_task_offset_commit_failure_total',
    'Offset commits of this task that failed (retried at the next flush).',
    'counter',
    undefined,
    (t) => t.offsetCommitFailureTotal,
  ),
  // source-task-metrics
  taskFamily(
    'kafka_connect_source_task_source_record_poll_total',
    'The number of records produced/polled (before transformation) by this task.',
    'counter',
    'source',
    (t) => t.sourceRecordPollTotal,
  ),
  taskFamily(
    'kafka_connect_source_task_source_record_poll_rate',
    'The average per-second number of records produced/polled (before transformation) by this task.',
    'gauge',
    'source',
    (t, now) => t.inputRecords.rate(now),
  ),
  taskFamily(
    'kafka_connect_source_task_source_record_write_total',
    'The number of records output from the transformations and written to Kafka for this task.',
    'counter',
    'source',
    (t) => t.sourceRecordWriteTotal,
  ),
  taskFamily(
    'kafka_connect_source_task_source_record_write_rate',
    'The average per-second number of records output from the transformations and written to Kafka.',
    'gauge',
    'source',
    (t, now) => t.outputRecords.rate(now),
  ),
  taskFamily(
    'kafka_connect_source_task_poll_batch_avg_time_ms',
    'The average time in milliseconds taken by this task to poll for a batch of source records.',
    'gauge',
    'source',
    (t, now) => t.batchTimeMs.avg(now),
  ),
  taskFamily(
    'kafka_connect_source_task_poll_batch_max_time_ms',
    'The maximum time in milliseconds taken by this task to poll for a batch of source records.',
    'gauge',
    'source',
    (t, now) => t.batchTimeMs.max(now),
  ),
  // sink-task-metrics
  taskFamily(
    'kafka_connect_sink_task_sink_record_read_total',
    'The number of records read from Kafka by this task (before transformation).',
    'counter',
    'sink',
    (t) => t.sinkRecordReadTotal,
  ),
  taskFamily(
    'kafka_connect_sink_task_sink_record_read_rate',
    'The average per-second number of records read from Kafka by this task (before transformation).',
    'gauge',
    'sink',
    (t, now) => t.inputRecords.rate(now),
  ),
  {
    name: 'sluice_task_topic_records_total',
    help: 'Records this task wrote to the topic (source: acknowledged by Kafka) or consumed from it (sink).',
    type: 'counter',
    labelNames: [...TASK_LABELS, 'topic'],
    *samples(workers) {
      for (const task of tasksOf(workers))
        for (const [topic, records] of task.topicRecords) yield [{ ...labelsOf(task), topic }, records];
    },
  },
  taskFamily(
    'kafka_connect_sink_task_sink_record_send_total',
    'The number of records output from the transformations and sent (put) to this task.',
    'counter',
    'sink',
    (t) => t.sinkRecordSendTotal,
  ),
  taskFamily(
    'kafka_connect_sink_task_sink_record_send_rate',
    'The average per-second number of records output from the transformations and sent (put) to this task.',
    'gauge',
    'sink',
    (t, now) => t.outputRecords.rate(now),
  ),
  taskFamily(
    'kafka_connect_sink_task_put_batch_avg_time_ms',
    'The average time in milliseconds taken by this task to put a batch of sink records.',
    'gauge',
    'sink',
    (t, now) => t.batchTimeMs.avg(now),
  ),
  taskFamily(
    'kafka_connect_sink_task_put_batch_max_time_ms',
    'The maximum time in milliseconds taken by this task to put a batch of sink records.',
    'gauge',
    'sink',
    (t, now) => t.batchTimeMs.max(now),
  ),
  taskFamily(
    'kafka_connect_sink_task_sink_record_lag_max',
    'The maximum lag in number of records that the sink task is behind the end of any of its partitions, as of the last delivered batch.',
    'gauge',
    'sink',
    (t) => t.sinkRecordLagMax,
  ),
  taskFamily(
    'kafka_connect_sink_task_offset_commit_completion_total',
    'The number of offset commit completions that were completed successfully.',
    'counter',
    'sink',
    (t) => t.offsetCommitSuccessTotal,
  ),
  // task-error-metrics
  errorFamily(
    'total_record_errors',
    'The number of record processing errors in this task.',
    'counter',
    (e) => e.totalRecordErrors,
  ),
  errorFamily(
    'total_record_failures',
    'The number of record processing failures in this task.',
    'counter',
    (e) => e.totalRecordFailures,
  ),
  errorFamily(
    'total_records_skipped',
    'The number of records skipped due to errors.',
    'counter',
    (e) => e.totalRecordsSkipped,
  ),
  errorFamily('total_retries', 'The number of operations retried.', 'counter', (e) => e.totalRetries),
  errorFamily(
    'total_errors_logged',
    'The number of errors that were logged.',
    'counter',
    (e) => e.totalErrorsLogged,
  ),
  errorFamily(
    'deadletterqueue_produce_requests',
    'The number of attempted writes to the dead letter queue.',
    'counter',
    (e) => e.deadLetterQueueProduceRequests,
  ),
  errorFamily(
    'deadletterqueue_produce_failures',
    'The number of failed writes to the dead letter queue.',
    'counter',
    (e) => e.deadLetterQueueProduceFailures,
  ),
  errorFamily(
    'last_error_timestamp',
    'The epoch timestamp (ms) when this task last encountered an error; 0 when none.',
    'gauge',
    (e) => e.lastErrorTimestamp,
  ),
  // connector-metrics
  {
    name: 'kafka_connect_connector_status',
    help: 'The status of the connector; the series with value 1 carries the current status.',
    type: 'gauge',
    labelNames: ['connector', 'status'],
    *samples(workers) {
      for (const worker of workers)
        for (const { name, state } of worker.connectors())
          if (state !== undefined) yield [{ connector: name, status: statusLabel(state) }, 1];
    },
  },
  // connect-worker-metrics
  workerFamily(
    'kafka_connect_worker_connector_count',
    'The number of connectors run in this worker.',
    'gauge',
    (w) => w.connectors().length,
  ),
  workerFamily(
    'kafka_connect_worker_task_count',
    'The number of tasks run in this worker.',
    'gauge',
    (w) => [...w.tasks()].length,
  ),
  workerFamily(
    'kafka_connect_worker_connector_startup_attempts_total',
    'The total number of connector startups that this worker has attempted.',
    'counter',
    (w) => w.connectorStartupAttempts,
  ),
  workerFamily(
    'kafka_connect_worker_connector_startup_success_total',
    'The total number of connector starts that succeeded.',
    'counter',
    (w) => w.connectorStartupSuccesses,
  ),
  workerFamily(
    'kafka_connect_worker_connector_startup_failure_total',
    'The total number of connector starts that failed.',
    'counter',
    (w) => w.connectorStartupFailures,
  ),
  workerFamily(
    'kafka_connect_worker_task_startup_attempts_total',
    'The total number of task startups that this worker has attempted.',
    'counter',
    (w) => w.taskStartupAttempts,
  ),
  workerFamily(
    'kafka_connect_worker_task_startup_success_total',
    'The total number of task starts that succeeded.',
    'counter',
    (w) => w.taskStartupSuccesses,
  ),
  workerFamily(
    'kafka_connect_worker_task_startup_failure_total',
    'The total number of task starts that failed.',
    'counter',
    (w) => w.taskStartupFailures,
  ),
  connectorTaskCountFamily(
    'kafka_connect_worker_connector_total_task_count',
    'The number of tasks of the connector on this worker.',
    null,
  ),
  connectorTaskCountFamily(
    'kafka_connect_worker_connector_running_task_count',
    'The number of running tasks of the connector on this worker.',
    'RUNNING',
  ),
  connectorTaskCountFamily(
    'kafka_connect_worker_connector_paused_task_count',
    'The number of paused tasks of the connector on this worker.',
    'PAUSED',
  ),
  connectorTaskCountFamily(
    'kafka_connect_worker_connector_failed_task_count',
    'The number of failed tasks of the connector on this worker.',
    'FAILED',
  ),
];

/**
 * A family a plugin registered: the series every task of every worker gives for it, each also labelled with
 * its task's `connector` and `task` (so a tenant's scrape keeps only its own connectors' series, and a series
 * can be joined with the Connect metrics of the same task).
 */
function pluginFamily(family: MetricFamily): Family {
  return {
    name: family.name,
    help: family.help,
    type: family.type,
    labelNames: [...TASK_LABELS, ...family.labelNames],
    *samples(workers) {
      for (const task of tasksOf(workers)) {
        const own = labelsOf(task);
        for (const { labels, value } of task.plugin.samples(family.name))
          yield [{ ...own, ...labels }, value];
      }
    },
  };
}

/** connect-worker-rebalance-metrics: registered once a worker of this process took part in a group round. */
const rebalanceFamilies: readonly Family[] = [
  rebalanceFamily(
    'kafka_connect_worker_rebalance_completed_rebalances_total',
    'The total number of rebalances completed by this worker.',
    'counter',
    (w) => w.completedRebalances,
  ),
  rebalanceFamily(
    'kafka_connect_worker_rebalance_time_since_last_rebalance_ms',
    'The time in milliseconds since this worker completed the most recent rebalance.',
    'gauge',
    (w, now) => now - (w.lastRebalanceAt ?? now),
  ),
  rebalanceFamily(
    'kafka_connect_worker_rebalance_epoch',
    'The epoch or generation number of this worker.',
    'gauge',
    (w) => w.generation,
  ),
  rebalanceFamily(
    'sluice_worker_rebalance_leader',
    '1 when this worker leads its group (Connect shows the leader as the string attribute leader-name).',
    'gauge',
    (w) => (w.isLeader ? 1 : 0),
  ),
];

export interface PrometheusMetricsOptions {
  /** prom-client's Node.js process metrics (process_*, nodejs_*); on for the process-wide instance. */
  readonly defaultMetrics?: boolean;
  readonly now?: () => number;
}

/**
 * Owns a prom-client Registry and renders what the workers attached to it count, in the Prometheus text
 * format. Nothing is computed while tasks run: every family reads the workers' plain counters on scrape.
 */
export class PrometheusMetrics {
  readonly registry = new Registry();
  private readonly workers: WorkerMetrics[] = [];
  private readonly now: () => number;
  private rebalanceRegistered = false;
  private readonly pluginFamilies: PluginFamilyDefinitions;

  constructor(options: PrometheusMetricsOptions = {}) {
    this.now = options.now ?? Date.now;
    if (options.defaultMetrics === true) collectDefaultMetrics({ register: this.registry });
    families.forEach((family) => this.register(family));
    const reserved = new Set([...families, ...rebalanceFamilies].map((f) => f.name));
    this.pluginFamilies = new PluginFamilyDefinitions(reserved, (family) =>
      this.register(pluginFamily(family)),
    );
  }

  private register(family: Family): void {
    const workers = this.workers;
    const now = this.now;
    const config = {
      name: family.name,
      help: family.help,
      labelNames: family.labelNames,
      registers: [this.registry],
    };
    if (family.type === 'counter') {
      new Counter({
        ...config,
        collect() {
          this.reset();
          for (const [labels, value] of family.samples(workers, now())) this.inc(labels, value);
        },
      });
    } else {
      new Gauge({
        ...config,
        collect() {
          this.reset();
          for (const [labels, value] of family.samples(workers, now())) this.set(labels, value);
        },
      });
    }
  }

  /** Counters for one more worker of this process; its values are shown from now on. */
  addWorker(): WorkerMetrics {
    const worker = new WorkerMetrics(
      this.now,
      () => {
        if (this.rebalanceRegistered) return;
        this.rebalanceRegistered = true;
        rebalanceFamilies.forEach((family) => this.register(family));
      },
      this.pluginFamilies.accept,
    );
    this.workers.push(worker);
    return worker;
  }

  /** The workers attached so far, for readers other than the scrape (runtime/metrics/metrics-history.ts). */
  attachedWorkers(): readonly WorkerMetrics[] {
    return this.workers;
  }

  /** The `Content-Type` of `render()`: `text/plain; version=0.0.4; charset=utf-8`. */
  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
