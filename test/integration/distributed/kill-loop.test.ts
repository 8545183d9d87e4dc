// A distributed cluster under a kill loop: three `sluice distributed` workers run a datagen →
// Kafka → FileStreamSink pipeline (three source and three sink tasks) while random workers get
// `kill -9` at random moments, at least ten times, and are started again. Many kills land in a
// rebalance: right after the killed worker's predecessor rejoined, or right when the coordinator
// noticed that another worker left. At the end every id the source produced is in the sink's file
// (none lost); the duplicates a crash may cause (at-least-once) are counted and printed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { duplicateIds, idKey } from '../../support/datagen-output.js';
import { sleep } from '../../support/worker-process.js';
import { startPipeline, waitForEveryId, type Pipeline } from './datagen-file-pipeline.js';
import { isLeader, SESSION_TIMEOUT_MS, TestCluster, type DistributedWorker } from './distributed-worker.js';

const TASKS = 3;
/** A departed worker's work moves after this (kept short so most kills see their work move). */
const MAX_DELAY_MS = 2_000;

/**
 * One step of the loop. `rejoin`: kill a worker and start it again at once (its rejoin is a rebalance,
 * and the next step's kill lands in it). `move`: kill one and wait until the others took its work over.
 * `second`: kill one, then kill another just as the coordinator notices the first one left.
 */
type Step = 'rejoin' | 'move' | 'second';
const STEPS: readonly Step[] = ['rejoin', 'rejoin', 'second', 'move', 'rejoin', 'second', 'rejoin', 'move'];
const KILLS = STEPS.reduce((n, s) => n + (s === 'second' ? 2 : 1), 0);

/** A seeded generator (mulberry32), so a failing run can be replayed with SLUICE_TEST_SEED. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('distributed cluster kill loop: datagen → Kafka → FileStreamSink', { timeout: 300_000 }, () => {
  let cluster: TestCluster;
  let pipeline: Pipeline | null = null;
  const seed = Number(process.env['SLUICE_TEST_SEED'] ?? Date.now() % 1_000_000);
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const randomMs = (max: number): number => Math.floor(random() * max);

  before(async () => {
    cluster = await TestCluster.create({ 'scheduled.rebalance.max.delay.ms': String(MAX_DELAY_MS) });
    await cluster.start(3);
  });
  after(async () => cluster.dispose(pipeline === null ? [] : [pipeline.topic]));

  async function kill(victim: DistributedWorker, count: number, when: string): Promise<void> {
    const role = isLeader(victim) ? 'leader' : 'follower';
    await victim.kill9();
    console.log(`kill loop (seed ${seed}): kill -9 #${count} of the ${role} ${victim.workerId} ${when}`);
  }

  test(
    `${KILLS} kill -9s of random workers, many during rebalances: no id lost`,
    { timeout: 280_000 },
    async () => {
      const p = await startPipeline(cluster, cluster.workers[0]!, {
        tasks: TASKS,
        perTask: 1_200,
        recordsPerSecond: 15,
        // A dead worker's sink consumer leaves the sink group after this, not after 10 s.
        sinkConfig: { 'consumer.override.session.timeout.ms': String(SESSION_TIMEOUT_MS) },
      });
      pipeline = p;
      let kills = 0;
      for (const step of STEPS) {
        // Random moment: up to 1.5 s after the previous worker rejoined (often mid-rebalance).
        await sleep(randomMs(1_500));
        const victim = pick(cluster.workers);
        await kill(victim, ++kills, `(${step})`);
        const dead = [victim];
        if (step === 'move') await sleep(SESSION_TIMEOUT_MS + MAX_DELAY_MS + randomMs(2_000));
        if (step === 'second') {
          // The coordinator notices the first departure after the session timeout and starts a round.
          await sleep(SESSION_TIMEOUT_MS + randomMs(1_500));
          const second = pick(cluster.workers.filter((w) => w.running));
          await kill(second, ++kills, `just as ${victim.workerId}'s departure is noticed`);
          dead.push(second);
        }
        // Started together: each waits until it has joined and received its assignment.
        await Promise.all(dead.map((w) => w.start()));
      }
      assert.ok(kills >= 10, `${kills} kills`);

      const ids = await waitForEveryId(p, 120_000);
      const unique = new Set(ids.map(idKey)).size;
      const duplicates = ids.length - unique;
      console.log(
        `kill loop (seed ${seed}): ${kills} kill -9s, ${TASKS * p.perTask} ids produced, 0 lost, ` +
          `${duplicates} duplicate line(s) of ${duplicateIds(ids).length} id(s) in ${ids.length} lines`,
      );
      for (const w of cluster.workers) assert.ok(w.running, `${w.workerId} runs at the end`);
    },
  );
});
