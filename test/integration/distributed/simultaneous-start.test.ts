// Three `sluice distributed` processes of a new cluster (fresh group.id, fresh internal topics) started
// at the same instant, as a three-replica deployment does. They race to create the internal topics and
// read them while the new partitions are still electing their first leaders, so Kafka answers
// NOT_LEADER_OR_FOLLOWER, UNKNOWN_TOPIC_OR_PARTITION or LEADER_NOT_AVAILABLE for a moment. Those are
// retriable: every worker must come up, serve REST and agree on one leader, in every round.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { waitFor } from '../../support/worker-process.js';
import { latestAssignment, TestCluster } from './distributed-worker.js';

const ROUNDS = Number(process.env['SLUICE_TEST_ROUNDS'] ?? 5);
const WORKERS = 3;

describe('distributed workers started together', { timeout: 400_000 }, () => {
  test(`${ROUNDS} rounds of ${WORKERS} workers of a new cluster started at once: all serve REST, one leader`, async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      // Connect's default partition counts: the more new partitions, the longer their leaders take.
      const cluster = await TestCluster.create({
        'offset.storage.partitions': '25',
        'status.storage.partitions': '5',
      });
      try {
        // Fails at once, with the worker's output, if any process exits while starting.
        await cluster.startTogether(WORKERS);
        const agreed = await waitFor(
          () => {
            const seen = cluster.workers.map(latestAssignment);
            const generations = new Set(seen.map((a) => a?.generation));
            const leaders = seen.filter((a) => a?.leader).length;
            return generations.size === 1 && !generations.has(undefined) && leaders === 1 ? seen : false;
          },
          30_000,
          `round ${round}: every worker in the same generation, exactly one leader`,
        );
        for (const w of cluster.workers) {
          assert.ok(w.running, `round ${round}: worker ${w.workerId} is still running`);
          const reply = await w.rest('GET', '/connectors');
          assert.equal(reply.status, 200, `round ${round}: ${w.workerId} serves REST`);
        }
        // How often Kafka said "not yet" while they started (each retry is logged as a warning).
        const retries = cluster.workers
          .map((w) => w.output.match(/failed with a retriable error; retrying/g)?.length ?? 0)
          .reduce((a, b) => a + b, 0);
        console.log(
          `simultaneous start round ${round}: generation ${agreed[0]?.generation}, all serving, ${retries} retried start-up step(s)`,
        );
      } finally {
        await cluster.dispose();
      }
    }
  });
});
