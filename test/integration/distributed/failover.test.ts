// A datagen → Kafka → FileStreamSink pipeline on three `sluice distributed` processes: kill -9 of a
// worker moves its tasks within scheduled.rebalance.max.delay.ms + 10 s, and neither that nor a rolling
// restart of every worker loses a single record.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { missingIds, readDatagenFile } from '../../support/datagen-output.js';
import { waitFor, type ConnectorStatus } from '../../support/worker-process.js';
import { startPipeline, waitForEveryId, type Pipeline } from './datagen-file-pipeline.js';
import { isLeader, MAX_DELAY_MS, TestCluster, type DistributedWorker } from './distributed-worker.js';

const TASKS = 3;

describe('distributed failover: datagen → Kafka → FileStreamSink', { timeout: 420_000 }, () => {
  let cluster: TestCluster;
  const topics: string[] = [];

  before(async () => {
    cluster = await TestCluster.create();
    await cluster.start(3);
  });
  after(async () => cluster.dispose(topics));

  async function startFailoverPipeline(
    via: DistributedWorker,
    perTask: number,
    recordsPerSecond: number,
  ): Promise<Pipeline> {
    const p = await startPipeline(cluster, via, { tasks: TASKS, perTask, recordsPerSecond });
    topics.push(p.topic);
    return p;
  }

  const allRunning = (s: ConnectorStatus, avoid?: string): boolean =>
    s.connector.state === 'RUNNING' &&
    s.connector.worker_id !== avoid &&
    s.tasks.length === TASKS &&
    s.tasks.every((t) => t.state === 'RUNNING' && t.worker_id !== avoid);

  test(
    'kill -9 of a worker: its tasks run elsewhere within the delay + 10 s, no id missing',
    { timeout: 200_000 },
    async () => {
      const via = cluster.workers.find((w) => isLeader(w)) ?? cluster.workers[0]!;
      const p = await startFailoverPipeline(via, 3_000, 150);
      await waitFor(
        async () => (await readDatagenFile(p.out)).length >= 600,
        60_000,
        'the pipeline to be mid-stream',
      );

      // A follower that runs tasks (the leader's own loss is covered by the rolling restart).
      const source = await via.status(p.source);
      const victim = cluster.workers.find(
        (w) => !isLeader(w) && source.tasks.some((t) => t.worker_id === w.workerId),
      )!;
      assert.ok(victim, 'a follower runs a source task');
      const started = Date.now();
      await victim.kill9();
      const observer = cluster.workers.find((w) => w.running)!;
      await waitFor(
        async () =>
          allRunning(await observer.status(p.source), victim.workerId) &&
          allRunning(await observer.status(p.sink), victim.workerId),
        MAX_DELAY_MS + 30_000,
        `every task RUNNING on a worker other than ${victim.workerId}`,
        200,
      );
      const failoverMs = Date.now() - started;
      console.log(
        `distributed failover: kill -9 → all tasks RUNNING elsewhere in ${failoverMs} ms (delay ${MAX_DELAY_MS} ms)`,
      );
      assert.ok(failoverMs <= MAX_DELAY_MS + 10_000, `failover took ${failoverMs} ms`);

      const lines = (await waitForEveryId(p, 150_000)).length;
      assert.ok(lines < 2 * TASKS * p.perTask, `${lines} lines: a source restarted from zero`);
      await victim.start();
      // Finished: remove the pipeline so the next test's rebalances do not carry it.
      for (const name of [p.source, p.sink])
        assert.equal((await via.rest('DELETE', `/connectors/${name}`)).status, 204);
    },
  );

  test(
    'rolling restart of every worker, one by one: the pipeline keeps flowing, nothing missing',
    { timeout: 200_000 },
    async () => {
      const p = await startFailoverPipeline(cluster.workers[0]!, 6_000, 100);
      let lines = (await readDatagenFile(p.out)).length;
      for (const worker of cluster.workers) {
        const exit = await worker.terminate();
        assert.equal(exit.code, 0, 'a worker stops cleanly on SIGTERM');
        await worker.start();
        await waitFor(
          async () => allRunning(await worker.status(p.source)) && allRunning(await worker.status(p.sink)),
          60_000,
          `every task RUNNING after restarting ${worker.workerId}`,
        );
        // Flowing: new records reach the sink soon after each step.
        lines = await waitFor(
          async () => {
            const read = await readDatagenFile(p.out);
            return read.length > lines || missingIds(read, TASKS, p.perTask).length === 0
              ? read.length
              : false;
          },
          45_000,
          `new output after restarting ${worker.workerId}`,
          500,
        ).catch(async (error: unknown) => {
          const statuses = await Promise.all(
            [p.source, p.sink].map((c) => worker.status(c).catch(() => null)),
          );
          throw new Error(`${(error as Error).message}; statuses: ${JSON.stringify(statuses)}`);
        });
      }
      const total = (await waitForEveryId(p, 120_000)).length;
      assert.ok(total < 2 * TASKS * p.perTask, `${total} lines: a source restarted from zero`);
    },
  );
});
