import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DebeziumMetrics } from '../../../../connectors/postgres/cdc/debezium-metrics.js';
import { PrometheusMetrics } from '../../../../runtime/metrics/prometheus-metrics.js';

function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('snapshot and streaming metrics render under Debezium JMX exporter names', async () => {
  let now = 1_000_000;
  const prometheus = new PrometheusMetrics({ now: () => now });
  const task = prometheus.addWorker().addTask({ connector: 'cdc', task: 0 });
  const queue = { capacity: 8192, size: 100 };
  const metrics = new DebeziumMetrics('shop', queue, () => now);
  metrics.register(task.plugin);
  const snap = 'connector="cdc",task="0",plugin="postgres",name="shop",context="snapshot"';
  const stream = 'connector="cdc",task="0",plugin="postgres",name="shop",context="streaming"';

  let text = await prometheus.render();
  assert.equal(valueOf(text, `debezium_metrics_SnapshotRunning{${snap}}`), 0);
  assert.equal(valueOf(text, `debezium_metrics_MilliSecondsBehindSource{${stream}}`), -1);

  metrics.snapshotStarted(2);
  metrics.tableStarted('public.a');
  metrics.rowsRead('public.a', 500);
  now += 2_500;
  text = await prometheus.render();
  assert.equal(valueOf(text, `debezium_metrics_SnapshotRunning{${snap}}`), 1);
  assert.equal(valueOf(text, `debezium_metrics_TotalTableCount{${snap}}`), 2);
  assert.equal(valueOf(text, `debezium_metrics_RemainingTableCount{${snap}}`), 2);
  assert.equal(valueOf(text, `debezium_metrics_RowsScanned{${snap},table="public.a"}`), 500);
  assert.equal(valueOf(text, `debezium_metrics_SnapshotDurationInSeconds{${snap}}`), 2);
  assert.equal(valueOf(text, `debezium_metrics_MilliSecondsSinceLastEvent{${snap}}`), 2_500);
  assert.equal(valueOf(text, `debezium_metrics_QueueRemainingCapacity{${snap}}`), 8092);

  metrics.tableDone();
  metrics.tableStarted('public.b');
  metrics.rowsRead('public.b', 20);
  metrics.tableDone();
  now += 1_000;
  metrics.snapshotEnded(true);
  now += 10_000;
  metrics.setConnected(true);
  metrics.eventSeen('c', now - 40);
  metrics.eventSeen('u', now - 30);
  metrics.eventFiltered();
  metrics.transactionCommitted();
  text = await prometheus.render();
  assert.equal(valueOf(text, `debezium_metrics_SnapshotRunning{${snap}}`), 0);
  assert.equal(valueOf(text, `debezium_metrics_SnapshotCompleted{${snap}}`), 1);
  assert.equal(valueOf(text, `debezium_metrics_SnapshotAborted{${snap}}`), 0);
  assert.equal(valueOf(text, `debezium_metrics_RemainingTableCount{${snap}}`), 0);
  assert.equal(valueOf(text, `debezium_metrics_SnapshotDurationInSeconds{${snap}}`), 3);
  assert.equal(valueOf(text, `debezium_metrics_TotalNumberOfEventsSeen{${snap}}`), 520);
  assert.equal(valueOf(text, `debezium_metrics_TotalNumberOfEventsSeen{${stream}}`), 2);
  assert.equal(valueOf(text, `debezium_metrics_TotalNumberOfCreateEventsSeen{${stream}}`), 1);
  assert.equal(valueOf(text, `debezium_metrics_TotalNumberOfUpdateEventsSeen{${stream}}`), 1);
  assert.equal(valueOf(text, `debezium_metrics_NumberOfEventsFiltered{${stream}}`), 1);
  assert.equal(valueOf(text, `debezium_metrics_NumberOfCommittedTransactions{${stream}}`), 1);
  assert.equal(valueOf(text, `debezium_metrics_MilliSecondsBehindSource{${stream}}`), 30);
  assert.equal(valueOf(text, `debezium_metrics_Connected{${stream}}`), 1);
});

test('a snapshot stopped before its end reads as aborted, not completed', async () => {
  let now = 0;
  const metrics = new DebeziumMetrics('shop', { capacity: 1, size: 0 }, () => now);
  const prometheus = new PrometheusMetrics({ now: () => now });
  metrics.register(prometheus.addWorker().addTask({ connector: 'cdc', task: 0 }).plugin);
  metrics.snapshotStarted(1);
  now = 5_000;
  metrics.snapshotEnded(false);
  const text = await prometheus.render();
  const snap = 'connector="cdc",task="0",plugin="postgres",name="shop",context="snapshot"';
  assert.equal(valueOf(text, `debezium_metrics_SnapshotAborted{${snap}}`), 1);
  assert.equal(valueOf(text, `debezium_metrics_SnapshotCompleted{${snap}}`), 0);
  assert.equal(valueOf(text, `debezium_metrics_SnapshotDurationInSeconds{${snap}}`), 5);
});
