import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MetricsHistory } from '../../../runtime/metrics/metrics-history.js';
import { WorkerMetrics } from '../../../runtime/metrics/worker-metrics.js';

describe('MetricsHistory', () => {
  test('per connector: records/s between samples, lag and batch time; bounded; deleted connectors dropped', () => {
    let now = 1_000_000;
    const clock = () => now;
    const worker = new WorkerMetrics(clock);
    const source = worker.addTask({ connector: 'src', task: 0 });
    const sink = worker.addTask({ connector: 'snk', task: 0 });
    const history = new MetricsHistory(() => [worker], { capacity: 2, now: clock });
    history.start();
    history.stop();

    source.recordWrite(100);
    sink.recordPut(40, 12, now);
    sink.recordLag('t-0', 5);
    now += 10_000;
    history.sample();
    const [point] = history.points('src')['src'] ?? [];
    assert.equal(point?.records_per_second, 10);
    assert.equal(point?.lag, null);
    const [sinkPoint] = history.points('snk')['snk'] ?? [];
    assert.equal(sinkPoint?.records_per_second, 4);
    assert.equal(sinkPoint?.lag, 5);
    assert.equal(sinkPoint?.batch_ms, 12);

    now += 10_000;
    history.sample();
    now += 10_000;
    history.sample();
    assert.equal(history.points('src')['src']?.length, 2, 'capacity bounds the ring');
    assert.equal(history.points('src')['src']?.[1]?.records_per_second, 0);

    worker.removeTask({ connector: 'snk', task: 0 });
    now += 10_000;
    history.sample();
    assert.deepEqual(Object.keys(history.points()), ['src']);
    assert.deepEqual(history.points('nope'), { nope: [] });
  });
});
