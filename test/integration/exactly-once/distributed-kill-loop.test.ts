// Exactly-once sources in a 3-worker cluster (issue 20): a datagen → Kafka → FileStreamSink pipeline
// (three source and three sink tasks) while random workers get kill -9 at random moments (many during
// rebalances), and a datagen while one worker is frozen (SIGSTOP) long enough for its tasks to move and
// then thawed: that zombie's late writes must be fenced. A read_committed reader of the topic then finds
// every id exactly once, each task's ids in order per partition, and the sink's file every id (none lost).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTopic, TopicTail } from '../../support/kafka-test-client.js';
import { startPipeline, waitForEveryId } from '../distributed/datagen-file-pipeline.js';
import { sleep, uniqueName, waitFor } from '../../support/worker-process.js';
import {
  SESSION_TIMEOUT_MS,
  TestCluster,
  type DistributedWorker,
} from '../distributed/distributed-worker.js';

const TASKS = 3;
const MAX_DELAY_MS = 2_000;
const ID = /"id":"(\d+)-(\d+)"/;

interface Run {
  readonly topic: string;
  readonly connector: string;
  readonly perTask: number;
}

/** Every id read (read_committed), in topic order per partition; fails on a record without an id. */
function idsOf(tail: TopicTail): { task: number; seq: number; partition: number }[] {
  return tail.messages.map((m) => {
    const match = ID.exec(m.value?.toString('utf8') ?? '');
    if (match === null) throw new Error(`a record without a datagen id: ${m.value?.toString('utf8')}`);
    return { task: Number(match[1]), seq: Number(match[2]), partition: m.partition };
  });
}

/** Asserts each task's ids 0..perTask-1 arrived exactly once and in order. */
async function assertExactlyOnce(run: Run, label: string): Promise<void> {
  const tail = await TopicTail.start(run.topic);
  try {
    await tail.waitForCount(TASKS * run.perTask, 120_000, run.topic);
    await sleep(3_000); // a duplicate would arrive with the rest
    const ids = idsOf(tail);
    const seen = new Set(ids.map((i) => `${i.task}-${i.seq}`));
    const duplicates = ids.length - seen.size;
    console.log(
      `${label}: ${ids.length} records read for ${TASKS * run.perTask} ids, ${duplicates} duplicated`,
    );
    assert.equal(seen.size, TASKS * run.perTask, 'every id arrived');
    assert.equal(duplicates, 0, 'no id arrived twice');
    for (let task = 0; task < TASKS; task++)
      for (let partition = 0; partition < TASKS; partition++) {
        // Datagen records have no key: a task's records spread over partitions, in order within each.
        const seqs = ids.filter((i) => i.task === task && i.partition === partition).map((i) => i.seq);
        assert.deepEqual(
          seqs,
          [...seqs].sort((a, b) => a - b),
          `task ${task}'s ids in order in partition ${partition}`,
        );
      }
  } finally {
    await tail.stop();
  }
}

describe('exactly-once sources in a distributed cluster', { timeout: 600_000 }, () => {
  let cluster: TestCluster;
  const topics: string[] = [];
  before(async () => {
    cluster = await TestCluster.create({
      // SLUICE_EOS_ATLEASTONCE=1 runs the same tests at least once, to see the duplicates they catch.
      'exactly.once.source.support': process.env['SLUICE_EOS_ATLEASTONCE'] === '1' ? 'disabled' : 'enabled',
      'scheduled.rebalance.max.delay.ms': String(MAX_DELAY_MS),
    });
    await cluster.start(3);
  });
  after(async () => cluster.dispose(topics));

  async function startDatagen(via: DistributedWorker, perTask: number, rate: number): Promise<Run> {
    const run = { topic: uniqueName('it-eos-dist'), connector: uniqueName('eos-gen'), perTask };
    topics.push(run.topic);
    await createTopic(run.topic, TASKS);
    const reply = await via.rest('POST', '/connectors', {
      name: run.connector,
      config: {
        'connector.class': 'DatagenSource',
        'kafka.topic': run.topic,
        'tasks.max': String(TASKS),
        'max.records': String(perTask),
        'records.per.second': String(rate),
        'batch.size': '20',
        'record.size.bytes': '0',
        'exactly.once.support': 'required',
      },
    });
    assert.equal(reply.status, 201, reply.text);
    await cluster.waitForState(via, run.connector, 'RUNNING', TASKS);
    return run;
  }

  test(
    '10 kill -9s of random workers, many during rebalances: every id exactly once in the topic, none lost in the sink',
    { timeout: 300_000 },
    async () => {
      const pipeline = await startPipeline(cluster, cluster.workers[0]!, {
        tasks: TASKS,
        perTask: 1_000,
        recordsPerSecond: 20,
        // A dead worker's sink consumer leaves the sink group after this, not after 10 s.
        sinkConfig: { 'consumer.override.session.timeout.ms': String(SESSION_TIMEOUT_MS) },
      });
      topics.push(pipeline.topic);
      const run: Run = { topic: pipeline.topic, connector: pipeline.source, perTask: pipeline.perTask };
      const pick = (): DistributedWorker =>
        cluster.workers[Math.floor(Math.random() * cluster.workers.length)]!;
      let kills = 0;
      for (const step of [
        'rejoin',
        'rejoin',
        'second',
        'move',
        'rejoin',
        'second',
        'rejoin',
        'move',
      ] as const) {
        await sleep(Math.random() * 1_500);
        const victim = pick();
        await victim.kill9();
        kills++;
        const dead = [victim];
        if (step === 'move') await sleep(SESSION_TIMEOUT_MS + MAX_DELAY_MS + Math.random() * 2_000);
        if (step === 'second') {
          await sleep(SESSION_TIMEOUT_MS + Math.random() * 1_500);
          const second = cluster.workers.filter((w) => w.running)[0]!;
          await second.kill9();
          kills++;
          dead.push(second);
        }
        await Promise.all(dead.map((w) => w.start()));
      }
      assert.ok(kills >= 10, `${kills} kills`);
      await assertExactlyOnce(run, `distributed kill loop, ${kills} kill -9s`);
      // The sink is at least once here (one file shared by three tasks): nothing lost is what it promises.
      const written = await waitForEveryId(pipeline, 120_000);
      console.log(`distributed kill loop: the sink's file holds every id (${written.length} lines)`);
      for (const w of cluster.workers) assert.ok(w.running, `${w.workerId} runs at the end`);
    },
  );

  test(
    'a frozen worker whose tasks moved is fenced when it thaws: nothing duplicated',
    { timeout: 180_000 },
    async () => {
      const via = cluster.workers[0]!;
      const run = await startDatagen(via, 400, 20);
      const status = await via.status(run.connector);
      const owner = status.tasks.find((t) => t.id === 0)!.worker_id;
      const frozen = cluster.workers.find((w) => w.workerId === owner)!;
      const observer = cluster.workers.find((w) => w !== frozen)!;
      frozen.freeze(true);
      try {
        // The group drops the frozen member after its session timeout; its tasks move after the delay.
        await waitFor(
          async () => {
            const s = await observer.status(run.connector);
            const task0 = s.tasks.find((t) => t.id === 0);
            return task0 !== undefined && task0.worker_id !== owner && task0.state === 'RUNNING';
          },
          60_000,
          `task 0 of ${run.connector} running elsewhere than the frozen ${owner}`,
          250,
        );
        await sleep(2_000); // the new owner commits transactions of its own meanwhile
      } finally {
        frozen.freeze(false);
      }
      await assertExactlyOnce(run, 'after a frozen worker thawed');
      // The zombie's task failed on the fencing; that stale status must not hide the task running elsewhere.
      await waitFor(
        async () => {
          const s = await observer.status(run.connector);
          return s.tasks.length === TASKS && s.tasks.every((t) => t.state === 'RUNNING');
        },
        30_000,
        `every task of ${run.connector} RUNNING after the thaw`,
        250,
      );
      const fenced = /KAFKA_PRODUCER_FENCED|fenced/.test(frozen.output);
      console.log(`the thawed worker ${fenced ? 'was fenced' : 'gave its tasks up before writing again'}`);
    },
  );
});
