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
    sink.recordPut(10, 20, now);
    sink.recordOffsetCommit(true, 7);
    sink.recordLag('t-0', 5);
    now += 10_000;
    history.sample();
    const [point] = history.points('src')['src'] ?? [];
    assert.equal(point?.records_per_second, 10);
    assert.equal(point?.lag, null);
    const [sinkPoint] = history.points('snk')['snk'] ?? [];
    assert.equal(sinkPoint?.records_per_second, 5);
    assert.equal(sinkPoint?.lag, 5);
    assert.equal(sinkPoint?.batch_ms, 16);
    assert.equal(sinkPoint?.batch_max_ms, 20);
    assert.equal(sinkPoint?.commit_ms, 7);
    assert.equal(point?.batch_max_ms, null, 'a source that never polled has no batch time');

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

  test('rebalances: the last 20 rounds of every worker, oldest first, with what each left the worker', () => {
    let now = 5_000;
    const a = new WorkerMetrics(() => now);
    const b = new WorkerMetrics(() => now);
    const history = new MetricsHistory(() => [a, b]);
    assert.deepEqual(history.rebalances(), []);
    a.recordRebalance({ generation: 1, isLeader: true });
    now += 1_000;
    b.recordRebalance({
      generation: 2,
      isLeader: false,
      assignment: {
        leaderUrl: 'http://a:8083',
        connectors: 1,
        tasks: 3,
        revokedConnectors: 0,
        revokedTasks: 1,
        delayMs: null,
      },
    });
    assert.deepEqual(history.rebalances(), [
      {
        at: 5_000,
        generation: 1,
        leader: true,
        leader_url: null,
        connectors: null,
        tasks: null,
        revoked_connectors: null,
        revoked_tasks: null,
        delay_ms: null,
      },
      {
        at: 6_000,
        generation: 2,
        leader: false,
        leader_url: 'http://a:8083',
        connectors: 1,
        tasks: 3,
        revoked_connectors: 0,
        revoked_tasks: 1,
        delay_ms: null,
      },
    ]);
    for (let generation = 3; generation < 40; generation++) a.recordRebalance({ generation, isLeader: true });
    assert.equal(a.rebalances().length, 20, 'a worker keeps its last 20');
    assert.equal(a.rebalances()[0]?.generation, 20);
  });
});
