// `sluice mirror` with exactly.once.source.support=enabled killed with SIGKILL at random moments, again and
// again, while a producer writes to the source topic: once it runs again, every record produced is on the
// target exactly once (read_committed), in order per partition (issue 20). SLUICE_EOS_ATLEASTONCE=1 runs
// the same loop at least once, to see the copies made twice that the test would catch.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { sleep, uniqueName } from '../../support/worker-process.js';
import {
  A,
  B,
  checkInOrder,
  deleteAll,
  internalTopicsOf,
  mm2Props,
  readAll,
  withAdmin,
} from './mirror-fixture.js';
import { MirrorProcess } from './mirror-process.js';

const PARTITIONS = 3;
const KILLS = 10;
const BATCH = 50;
const exactlyOnce = process.env['SLUICE_EOS_ATLEASTONCE'] !== '1';

/** Writes batches to every partition in turn until stopped; resolves with how many records each got. */
function produceUntil(topic: string, stopped: () => boolean): Promise<number> {
  return (async () => {
    const producer = A.producer();
    await producer.connect();
    let perPartition = 0;
    try {
      while (!stopped()) {
        for (let p = 0; p < PARTITIONS; p++) {
          const messages = Array.from({ length: BATCH }, (_, j) => ({
            partition: p,
            key: `k-${p}-${perPartition + j}`,
            value: `v-${topic}-${p}-${perPartition + j}`,
          }));
          await producer.send({ topic, messages, acks: -1 });
        }
        perPartition += BATCH;
        await sleep(100);
      }
    } finally {
      await producer.disconnect();
    }
    return perPartition;
  })();
}

describe('sluice mirror kill loop', { timeout: 240_000 }, () => {
  const prefix = uniqueName('mmkill');
  const topic = `${prefix}-t`;
  let mirror: MirrorProcess | null = null;
  after(async () => {
    await mirror?.stop();
    await deleteAll(A, new Set([topic]), new Set());
    await deleteAll(B, new Set([`A.${topic}`, ...internalTopicsOf(prefix)]), new Set([`${prefix}-mm2`]));
  });

  test(`${KILLS} kill -9s at random moments while a producer writes: every record once, in order per partition`, async () => {
    await withAdmin(A, (a) =>
      a.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true }),
    );
    mirror = await MirrorProcess.create(
      mm2Props(prefix, {
        'offset.flush.interval.ms': '500',
        // As MM2 documents it: per target cluster.
        'B.exactly.once.source.support': exactlyOnce ? 'enabled' : 'disabled',
      }),
    );
    await mirror.start();
    let producing = true;
    const produced = produceUntil(topic, () => !producing);
    for (let kill = 0; kill < KILLS; kill++) {
      // Anywhere from just after start-up (tasks still starting) to mid-copy with offsets committed.
      await sleep(500 + Math.random() * 4_500);
      await mirror.kill9();
      await mirror.start();
    }
    producing = false;
    const perPartition = await produced;
    const lastOf = (p: number): string => `v-${topic}-${p}-${perPartition - 1}`;
    const copied = await readAll(B, `A.${topic}`, perPartition * PARTITIONS, (read) =>
      Array.from({ length: PARTITIONS }, (_, p) => p).every((p) =>
        read.get(p)?.some((r) => r.value === lastOf(p)),
      ),
    );
    let duplicates = 0;
    for (let p = 0; p < PARTITIONS; p++)
      duplicates += checkInOrder(
        `A.${topic}[${p}]`,
        (copied.get(p) ?? []).map((r) => r.value),
        perPartition,
      );
    console.log(
      `mirror kill loop (exactly-once=${exactlyOnce}): ${KILLS} kills, ${perPartition * PARTITIONS} records produced, 0 lost, ${duplicates} copied twice`,
    );
    assert.equal(duplicates, 0, 'no record was copied twice');
  });
});
