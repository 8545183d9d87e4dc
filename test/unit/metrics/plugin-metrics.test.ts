import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PrometheusMetrics } from '../../../runtime/metrics/prometheus-metrics.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';

function valueOf(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const family = { name: 'plugin_things', help: 'Things.', type: 'gauge', labelNames: ['name'] } as const;

test("a task's plugin family shows its series, labelled with the task, while the task runs, and disappears with it", async () => {
  const metrics = new PrometheusMetrics();
  const worker = metrics.addWorker();
  const a = worker.addTask({ connector: 'a', task: 0 });
  const b = worker.addTask({ connector: 'b', task: 0 });
  let things = 3;
  a.plugin.register(family, () => [{ labels: { name: 'a' }, value: things }]);
  b.plugin.register(family, () => [{ labels: { name: 'b' }, value: 7 }]);
  let text = await metrics.render();
  assert.match(text, /# TYPE plugin_things gauge/);
  assert.equal(valueOf(text, 'plugin_things{connector="a",task="0",name="a"}'), 3);
  assert.equal(valueOf(text, 'plugin_things{connector="b",task="0",name="b"}'), 7);
  things = 4;
  worker.removeTask({ connector: 'a', task: 0 });
  text = await metrics.render();
  assert.equal(valueOf(text, 'plugin_things{connector="a",task="0",name="a"}'), undefined);
  assert.equal(valueOf(text, 'plugin_things{connector="b",task="0",name="b"}'), 7);
});

test('a family that takes a runtime name, or redefines a plugin family, is refused with METRIC_CONFLICT', () => {
  const metrics = new PrometheusMetrics();
  const task = metrics.addWorker().addTask({ connector: 'a', task: 0 });
  task.plugin.register(family, () => []);
  const conflict = (f: typeof family | Record<string, unknown>): void =>
    assert.throws(
      () => task.plugin.register(f as typeof family, () => []),
      (e: unknown) => e instanceof SluiceError && e.code === 'METRIC_CONFLICT',
    );
  conflict({ ...family, labelNames: ['other'] });
  conflict({ ...family, type: 'counter' });
  conflict({ ...family, name: 'kafka_connect_source_task_source_record_poll_total' });
  conflict({ ...family, name: 'not a name' });
  conflict({ ...family, name: 'plugin_other', labelNames: ['connector'] });
});

test('a sampled statistic reads avg, max, min and rate over the window on the runtime clock', () => {
  let now = 0;
  const metrics = new PrometheusMetrics({ now: () => now });
  const stat = metrics.addWorker().addTask({ connector: 'a', task: 0 }).plugin.sampledStat();
  assert.ok(Number.isNaN(stat.avg()));
  stat.record(10);
  stat.record(30);
  now = 1_000;
  stat.record(20);
  assert.equal(stat.avg(), 20);
  assert.equal(stat.max(), 30);
  assert.equal(stat.min(), 10);
  assert.equal(stat.rate(), 60 / 30);
  now = 120_000;
  assert.ok(Number.isNaN(stat.min()), 'expired with the window');
});
