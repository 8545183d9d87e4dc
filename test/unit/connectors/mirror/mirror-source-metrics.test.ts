import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MirrorSourceMetrics } from '../../../../connectors/mirror/mirror-source-metrics.js';
import { PrometheusMetrics } from '../../../../runtime/metrics/prometheus-metrics.js';

function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

test('per remote partition: record age and bytes at poll, count and latency at acknowledgement', async () => {
  const now = 1_000_000;
  const prometheus = new PrometheusMetrics({ now: () => now });
  const task = prometheus.addWorker().addTask({ connector: 'mm2', task: 0 });
  const metrics = new MirrorSourceMetrics(task.plugin, 'B');
  metrics.register();
  metrics.polled('A.orders', 0, 100, 10, now);
  metrics.polled('A.orders', 0, 300, 30, now);
  metrics.polled('A.orders', 2, 50, 5, now);
  metrics.replicated('A.orders', 0, 120, now);
  metrics.replicated('A.orders', 0, 340, now);
  const text = await prometheus.render();
  const p0 = '{connector="mm2",task="0",destination="B",topic="A.orders",partition="0"}';
  const p2 = '{connector="mm2",task="0",destination="B",topic="A.orders",partition="2"}';
  const name = (a: string): string => `kafka_connect_mirror_source_connector_${a}`;
  assert.equal(valueOf(text, name('record_age_ms') + p0), 300);
  assert.equal(valueOf(text, name('record_age_ms_avg') + p0), 200);
  assert.equal(valueOf(text, name('record_age_ms_max') + p0), 300);
  assert.equal(valueOf(text, name('record_age_ms_min') + p0), 100);
  assert.equal(valueOf(text, name('byte_count') + p0), 40);
  assert.equal(valueOf(text, name('byte_rate') + p0), 40 / 30);
  assert.equal(valueOf(text, name('record_count') + p0), 2);
  assert.equal(valueOf(text, name('replication_latency_ms') + p0), 340);
  assert.equal(valueOf(text, name('replication_latency_ms_avg') + p0), 230);
  assert.equal(valueOf(text, name('replication_latency_ms_max') + p0), 340);
  assert.equal(valueOf(text, name('record_age_ms') + p2), 50);
  assert.equal(valueOf(text, name('record_count') + p2), 0);
});
