import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrometheusMetrics } from '../../../runtime/metrics/prometheus-metrics.js';
import type { ErrorHandlingMetricsSnapshot } from '../../../runtime/errors/error-handling-metrics.js';

/** The value of one series in the text format, or undefined when the series is absent. */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const noErrors: ErrorHandlingMetricsSnapshot = {
  totalRecordFailures: 3,
  totalRecordErrors: 2,
  totalRecordsSkipped: 2,
  totalRetries: 1,
  totalErrorsLogged: 2,
  deadLetterQueueProduceRequests: 2,
  deadLetterQueueProduceFailures: 0,
  lastErrorTimestamp: 1_700_000_000_000,
};

test('source and sink task counters render under the JMX exporter names', async () => {
  let now = 1_000_000;
  const metrics = new PrometheusMetrics({ now: () => now });
  const worker = metrics.addWorker();
  const source = worker.addTask({ connector: 'orders-src', task: 0 });
  source.kind = 'source';
  source.status = 'RUNNING';
  source.recordPoll(1_000, 4, now);
  source.recordPoll(500, 8, now);
  source.recordWrite(1_500);
  source.countTopics([{ topic: 'a' }, { topic: 'a' }, { topic: 'b' }, { topic: 'a' }]);
  source.recordOffsetCommit(true, 12);
  const sink = worker.addTask({ connector: 'orders-sink', task: 1 });
  sink.kind = 'sink';
  sink.status = 'PAUSED';
  sink.recordRead(700, now);
  sink.recordPut(690, 20, now);
  sink.recordOffsetCommit(true, 5);
  sink.recordOffsetCommit(false, 7);
  sink.recordLag('t-0', 40);
  sink.recordLag('t-1', 3);
  sink.trackErrors(() => noErrors);
  now += 10_000;

  const text = await metrics.render();
  const src = '{connector="orders-src",task="0"}';
  const snk = '{connector="orders-sink",task="1"}';
  assert.equal(valueOf(text, `kafka_connect_source_task_source_record_poll_total${src}`), 1_500);
  assert.equal(valueOf(text, `kafka_connect_source_task_source_record_write_total${src}`), 1_500);
  assert.equal(valueOf(text, `kafka_connect_source_task_source_record_poll_rate${src}`), 50); // 1500 / 30 s
  assert.equal(valueOf(text, `kafka_connect_source_task_poll_batch_avg_time_ms${src}`), 6);
  assert.equal(valueOf(text, `kafka_connect_source_task_poll_batch_max_time_ms${src}`), 8);
  assert.equal(valueOf(text, `kafka_connect_sink_task_sink_record_read_total${snk}`), 700);
  assert.equal(valueOf(text, `kafka_connect_sink_task_sink_record_send_total${snk}`), 690);
  assert.equal(valueOf(text, `kafka_connect_sink_task_put_batch_max_time_ms${snk}`), 20);
  assert.equal(valueOf(text, `kafka_connect_sink_task_offset_commit_completion_total${snk}`), 1);
  assert.equal(valueOf(text, `kafka_connect_sink_task_sink_record_lag_max${snk}`), 40);
  assert.equal(valueOf(text, `sluice_task_offset_commit_failure_total${snk}`), 1);
  // Per topic, counted by runs of one topic in a batch.
  assert.equal(
    valueOf(text, 'sluice_task_topic_records_total{connector="orders-src",task="0",topic="a"}'),
    3,
  );
  assert.equal(
    valueOf(text, 'sluice_task_topic_records_total{connector="orders-src",task="0",topic="b"}'),
    1,
  );
  assert.equal(valueOf(text, `kafka_connect_connector_task_offset_commit_success_percentage${snk}`), 0.5);
  assert.equal(valueOf(text, `kafka_connect_connector_task_offset_commit_success_percentage${src}`), 1);
  // A sink task has no source series and the other way round.
  assert.equal(valueOf(text, `kafka_connect_source_task_source_record_poll_total${snk}`), undefined);
  assert.equal(valueOf(text, `kafka_connect_sink_task_sink_record_read_total${src}`), undefined);
  assert.equal(
    valueOf(text, 'kafka_connect_connector_task_status{connector="orders-src",task="0",status="running"}'),
    1,
  );
  assert.equal(
    valueOf(text, 'kafka_connect_connector_task_status{connector="orders-sink",task="1",status="paused"}'),
    1,
  );
  assert.equal(valueOf(text, `kafka_connect_task_error_total_record_errors${snk}`), 2);
  assert.equal(valueOf(text, `kafka_connect_task_error_total_records_skipped${snk}`), 2);
  assert.equal(valueOf(text, `kafka_connect_task_error_deadletterqueue_produce_requests${snk}`), 2);
  assert.equal(valueOf(text, 'kafka_connect_worker_task_count'), 2);
  assert.match(text, /# TYPE kafka_connect_source_task_source_record_poll_total counter/);
  assert.match(text, /# TYPE kafka_connect_connector_task_status gauge/);
});

test('a removed task and a removed connector leave no series behind', async () => {
  const metrics = new PrometheusMetrics();
  const worker = metrics.addWorker();
  worker.addConnector('c1', () => 'RUNNING');
  const task = worker.addTask({ connector: 'c1', task: 0 });
  task.kind = 'source';
  task.recordPoll(10, 1, Date.now());
  let text = await metrics.render();
  assert.equal(valueOf(text, 'kafka_connect_connector_status{connector="c1",status="running"}'), 1);
  assert.equal(valueOf(text, 'kafka_connect_worker_connector_running_task_count{connector="c1"}'), 0);
  assert.equal(valueOf(text, 'kafka_connect_worker_connector_total_task_count{connector="c1"}'), 1);
  assert.equal(valueOf(text, 'kafka_connect_worker_connector_count'), 1);

  worker.removeTask({ connector: 'c1', task: 0 });
  worker.removeConnector('c1');
  text = await metrics.render();
  assert.doesNotMatch(text, /connector="c1"/);
  assert.equal(valueOf(text, 'kafka_connect_worker_connector_count'), 0);
  assert.equal(valueOf(text, 'kafka_connect_worker_task_count'), 0);
});

test('startup counters; rebalance series appear only after a group round', async () => {
  let now = 5_000;
  const metrics = new PrometheusMetrics({ now: () => now });
  const worker = metrics.addWorker();
  worker.recordConnectorStartup(true);
  worker.recordConnectorStartup(false);
  worker.recordTaskStartup(true);
  let text = await metrics.render();
  assert.equal(valueOf(text, 'kafka_connect_worker_connector_startup_attempts_total'), 2);
  assert.equal(valueOf(text, 'kafka_connect_worker_connector_startup_failure_total'), 1);
  assert.equal(valueOf(text, 'kafka_connect_worker_task_startup_success_total'), 1);
  assert.equal(valueOf(text, 'kafka_connect_worker_rebalance_completed_rebalances_total'), undefined);

  worker.recordRebalance({ generation: 7, isLeader: true });
  now += 2_500;
  text = await metrics.render();
  assert.equal(valueOf(text, 'kafka_connect_worker_rebalance_completed_rebalances_total'), 1);
  assert.equal(valueOf(text, 'kafka_connect_worker_rebalance_time_since_last_rebalance_ms'), 2_500);
  assert.equal(valueOf(text, 'kafka_connect_worker_rebalance_epoch'), 7);
  assert.equal(valueOf(text, 'sluice_worker_rebalance_leader'), 1);
});
