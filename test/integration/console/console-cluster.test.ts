// The web console's cluster page against two real distributed workers: the second worker's join is a
// rebalance that the first worker keeps in memory, and the page lists it with the leader and what the round
// left the worker with.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { HeadlessChromium } from '../../support/headless-chromium.js';
import { createTopic } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor } from '../../support/worker-process.js';
import { TestCluster, type DistributedWorker } from '../distributed/distributed-worker.js';

interface Rebalance {
  readonly generation: number;
  readonly leader: boolean;
  readonly leader_url: string | null;
}

describe('web console: cluster page of a distributed cluster', { timeout: 150_000 }, () => {
  let cluster: TestCluster | undefined;
  let first: DistributedWorker | undefined;
  let browser: HeadlessChromium | undefined;
  const topic = uniqueName('it-console-cluster');
  const connector = uniqueName('gen');

  before(async () => {
    cluster = await TestCluster.create();
    await Promise.all([
      cluster.start(2),
      createTopic(topic, 2),
      HeadlessChromium.launch().then((b) => (browser = b)),
    ]);
    first = cluster.workers[0]!;
    // Two tasks: one on each worker, so the assignments name both.
    const created = await first.rest('POST', '/connectors', {
      name: connector,
      config: { 'connector.class': 'DatagenSource', 'kafka.topic': topic, 'tasks.max': '2' },
    });
    assert.equal(created.status, 201, created.text);
    await waitFor(
      async () => new Set((await first!.status(connector)).tasks.map((t) => t.worker_id)).size === 2,
      60_000,
      `the tasks of ${connector} on both workers`,
    );
  });

  after(async () => {
    await browser?.close();
    await cluster?.dispose([topic]);
  });

  test('the first worker keeps both rounds (alone, then with the second worker) and the page lists them', async () => {
    // Through REST first: what the page must show.
    const kept = await waitFor(
      async () => {
        const reply = await first!.rest<{ rebalances: Rebalance[] }>('GET', '/metrics/history');
        const rounds = reply.body.rebalances;
        return rounds.length >= 2 ? rounds : false;
      },
      30_000,
      'two rebalances kept by the first worker',
      250,
    );
    const last = kept[kept.length - 1]!;
    assert.ok(last.generation > kept[0]!.generation);
    assert.equal(last.leader_url?.startsWith('http://127.0.0.1:'), true);

    await browser!.page.goto(`${first!.url}/ui/?poll=500#/cluster`);
    const rows = browser!.page.locator('[data-testid="rebalances"] tbody tr');
    await waitFor(async () => (await rows.count()) >= 2, 20_000, 'two rebalance rows', 250);
    // Newest first: the first row is the latest generation, with the leader's URL.
    const newest = (await rows.first().textContent()) ?? '';
    assert.match(newest, new RegExp(`\\b${last.generation}\\b`));
    assert.match(newest, /leader|follower/);
    assert.ok(newest.includes(last.leader_url!), newest);
    // Who runs what: both workers, each with one task of the connector.
    for (const worker of cluster!.workers) {
      await browser!.page
        .locator('tr', { hasText: worker.workerId })
        .filter({ hasText: `${connector}-` })
        .first()
        .waitFor({ timeout: 10_000 });
    }
    await browser!.screenshot('cluster');
    assert.deepEqual(browser!.pageErrors, []);
  });
});
