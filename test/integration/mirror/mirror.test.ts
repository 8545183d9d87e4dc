import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rest, sleep, uniqueName, waitFor } from '../../support/worker-process.js';
import { decodeCheckpoint, type Checkpoint } from '../../../connectors/mirror/checkpoint.js';
import {
  A,
  B,
  checkInOrder,
  deleteAll,
  flowState,
  internalTopicsOf,
  mm2Props,
  produceInterleaved,
  readAll,
  sizeOf,
  upstreamIndex,
  withAdmin,
} from './mirror-fixture.js';
import { MirrorProcess } from './mirror-process.js';

async function produceMany(topic: string, partitions: number, perPartition: number): Promise<void> {
  const producer = A.producer();
  await producer.connect();
  const batch = 2_000;
  // Recent timestamps: records older than the brokers' retention could be deleted while a test reads them.
  const base = Date.now();
  for (let p = 0; p < partitions; p++) {
    for (let i = 0; i < perPartition; i += batch) {
      const messages = Array.from({ length: Math.min(batch, perPartition - i) }, (_, j) => ({
        partition: p,
        key: `k-${p}-${i + j}`,
        value: `v-${topic}-${p}-${i + j}`,
        timestamp: String(base + i + j),
        headers: { seq: String(i + j), src: 'A' },
      }));
      await producer.send({ topic, messages, acks: -1 });
    }
  }
  await producer.disconnect();
}

/** Topics (and worker groups) to delete on each cluster once the suite is done. */
const cleanup = {
  A: new Set<string>(),
  B: new Set<string>(),
  groupsA: new Set<string>(),
  groupsB: new Set<string>(),
};

/** Source topics on A, their copies on B, the flow's group and internal topics on B. */
function forCleanup(id: string, topics: readonly string[]): void {
  for (const t of topics) {
    cleanup.A.add(t);
    cleanup.B.add(`A.${t}`);
  }
  for (const t of internalTopicsOf(id)) cleanup.B.add(t);
  cleanup.groupsB.add(`${id}-mm2`);
}

/**
 * Reads B's A.checkpoints.internal (shared by every run) until each partition of `group` has a checkpoint
 * for the upstream position `committed[partition]`; returns the newest checkpoint per partition.
 */
async function waitForCheckpoints(
  group: string,
  committed: readonly number[],
): Promise<Map<number, Checkpoint>> {
  const latest = new Map<number, Checkpoint>();
  const consumer = B.consumer({ groupId: uniqueName('mirror-it-checkpoints') });
  await consumer.connect();
  await consumer.subscribe({ topics: ['A.checkpoints.internal'], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (message.key === null || message.value === null) return;
      const c = decodeCheckpoint(message.key, message.value);
      if (c.group === group) latest.set(c.partition, c);
    },
  });
  try {
    await waitFor(
      () => committed.every((offset, p) => latest.get(p)?.upstreamOffset === offset),
      60_000,
      `checkpoints of ${group} (have ${JSON.stringify([...latest.values()])})`,
      500,
    );
  } finally {
    await consumer.disconnect();
  }
  return latest;
}

/** The source offsets of `topic` the MirrorSourceConnector committed to the offsets topic on B, per partition. */
async function committedOffsets(offsetsTopic: string, topic: string): Promise<Map<number, number>> {
  const latest = new Map<number, number>();
  const consumer = B.consumer({ groupId: uniqueName('mirror-it-offsets') });
  await consumer.connect();
  await consumer.subscribe({ topics: [offsetsTopic], fromBeginning: true });
  const end = await withAdmin(B, (b) => b.fetchTopicOffsets(offsetsTopic));
  const remaining = new Set(end.filter((o) => Number(o.high) > 0).map((o) => o.partition));
  const done = new Promise<void>((resolve) => {
    if (remaining.size === 0) resolve();
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        // Connect's offsets topic: key ["<connector>",{partition}], value the offset (MM2: {"offset": n}).
        const [connector, part] = JSON.parse(String(message.key)) as [
          string,
          { cluster: string; topic: string; partition: number },
        ];
        if (connector === 'MirrorSourceConnector' && part.cluster === 'A' && part.topic === topic) {
          if (message.value === null) latest.delete(part.partition);
          else latest.set(part.partition, (JSON.parse(String(message.value)) as { offset: number }).offset);
        }
        const high = end.find((o) => o.partition === partition)!.high;
        if (BigInt(message.offset) + 1n >= BigInt(high)) {
          remaining.delete(partition);
          if (remaining.size === 0) resolve();
        }
      },
    });
  });
  try {
    await done;
  } finally {
    await consumer.disconnect();
  }
  return latest;
}

interface ConnectorStatusBody {
  tasks: { id: number; state: string; worker_id: string }[];
}

/** Which worker runs each RUNNING task of the flow's MirrorSourceConnector, as REST reports it. */
async function sourceTaskWorkers(mirror: MirrorProcess): Promise<string[]> {
  const reply = await rest<ConnectorStatusBody>(
    mirror.url,
    'GET',
    '/connectors/MirrorSourceConnector/status',
  );
  if (reply.status !== 200) return [];
  return reply.body.tasks.filter((t) => t.state === 'RUNNING').map((t) => t.worker_id);
}

describe('sluice mirror (A -> B)', { timeout: 600_000 }, () => {
  // Tests that need a running mirror share this one (started on first use); each uses its own topics and groups.
  const prefix = uniqueName('mm');
  let shared: MirrorProcess | null = null;
  async function sharedMirror(): Promise<MirrorProcess> {
    if (shared === null) {
      shared = await MirrorProcess.create(mm2Props(prefix));
      await shared.start();
    }
    return shared;
  }
  after(async () => {
    await shared?.stop();
    await deleteAll(A, cleanup.A, cleanup.groupsA);
    await deleteAll(B, cleanup.B, cleanup.groupsB);
  });

  test('200,000 records over 12 partitions in 3 topics arrive identical, partition for partition', async () => {
    const bulk = uniqueName('mmbulk');
    const topics = [0, 1, 2].map((i) => `${bulk}-t${i}`);
    forCleanup(bulk, topics);
    await withAdmin(A, (a) =>
      a.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 4 })), waitForLeaders: true }),
    );
    for (const t of topics) await produceMany(t, 4, Math.ceil(200_000 / 12));
    const total = 12 * Math.ceil(200_000 / 12);
    // Its own process, started after producing: the figure below then includes start-up, as docs/mirror.md says.
    const mirror = await MirrorProcess.create(mm2Props(bulk));
    try {
      const started = Date.now();
      await mirror.start();
      await waitFor(
        async () => {
          let sum = 0;
          for (const t of topics) sum += Math.max(0, await sizeOf(B, `A.${t}`));
          return sum >= total;
        },
        300_000,
        'all records on B',
        1_000,
      );
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `THROUGHPUT: ${total} records in ${seconds.toFixed(1)} s = ${Math.round(total / seconds)} records/s (incl. startup)`,
      );
    } finally {
      await mirror.stop();
    }
    const copies = await Promise.all(
      topics.map((t) => Promise.all([readAll(A, t, total / 3), readAll(B, `A.${t}`, total / 3)])),
    );
    for (const [index, t] of topics.entries()) {
      const [source, target] = copies[index]!;
      for (const [p, records] of source) {
        const copied = target.get(p) ?? [];
        assert.equal(copied.length, records.length, `${t}-${p} count`);
        for (let i = 0; i < records.length; i++) {
          // Offsets may differ between clusters; everything else must be identical.
          assert.deepEqual(
            { ...copied[i]!, offset: 0 },
            { ...records[i]!, offset: 0 },
            `${t}-${p} record ${i}`,
          );
        }
      }
    }
  });

  test('a topic created later is picked up within the refresh interval; config changes reach B', async () => {
    await sharedMirror();
    const late = `${prefix}-late`;
    forCleanup(prefix, [late]);
    await withAdmin(A, (a) =>
      a.createTopics({ topics: [{ topic: late, numPartitions: 2 }], waitForLeaders: true }),
    );
    await produceMany(late, 2, 50);
    await waitFor(async () => (await sizeOf(B, `A.${late}`)) >= 100, 60_000, 'late topic on B', 1_000);
    await withAdmin(A, (a) =>
      a.alterConfigs({
        validateOnly: false,
        resources: [{ type: 2, name: late, configEntries: [{ name: 'retention.ms', value: '86400123' }] }],
      }),
    );
    await waitFor(
      () =>
        withAdmin(B, async (b) => {
          const d = await b.describeConfigs({
            includeSynonyms: false,
            resources: [{ type: 2, name: `A.${late}` }],
          });
          return (
            d.resources[0]?.configEntries.find((e) => e.configName === 'retention.ms')?.configValue ===
            '86400123'
          );
        }),
      60_000,
      'retention.ms on B',
      1_000,
    );
  });

  test('a consumer group fails over to B: checkpoints emitted, offsets synced, nothing skipped, at most offset.lag.max re-read, never moved back', async () => {
    await sharedMirror();
    const topic = `${prefix}-failover`;
    const group = `${prefix}-group`;
    forCleanup(prefix, [topic]);
    cleanup.groupsA.add(group);
    cleanup.groupsB.add(group);
    const perPartition = 3_000;
    await withAdmin(A, (a) =>
      a.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true }),
    );
    // Produced before the mirror finds the topic, so it is copied in bulk batches: the hard case for offset syncs.
    await produceMany(topic, 4, perPartition);
    await waitFor(
      async () => (await sizeOf(B, `A.${topic}`)) >= 4 * perPartition,
      120_000,
      'failover topic on B',
      1_000,
    );
    // Positions on A: the next record to read in partition p is upstream offset committed[p].
    const committed = [1_234, 1_345, 1_456, 2_999];
    await withAdmin(A, (a) =>
      a.setOffsets({
        groupId: group,
        topic,
        partitions: committed.map((offset, partition) => ({ partition, offset: String(offset) })),
      }),
    );

    const translated = await waitFor(
      () =>
        withAdmin(B, async (b) => {
          const offsets = await b.fetchOffsets({ groupId: group, topics: [`A.${topic}`] });
          const parts = offsets[0]?.partitions ?? [];
          return parts.length === 4 && parts.every((p) => Number(p.offset) >= 0)
            ? new Map(parts.map((p) => [p.partition, Number(p.offset)]))
            : null;
        }),
      90_000,
      'translated group offsets on B',
      1_000,
    );
    // Every emit.checkpoints.interval.seconds the translation is also emitted as a checkpoint on B.
    const checkpoints = await waitForCheckpoints(group, committed);
    for (let p = 0; p < 4; p++) {
      const latest = checkpoints.get(p)!;
      assert.equal(latest.topic, `A.${topic}`);
      // The sync may have run before a later, finer offset sync arrived; checkpoints only get finer.
      assert.ok(
        latest.downstreamOffset >= translated.get(p)!,
        `partition ${p}: B's group is ahead of its checkpoint`,
      );
    }

    // Resume on B with the same group: the first record read per partition is at most offset.lag.max before the first unread one.
    const firstRead = new Map<number, number>();
    const seen = new Map<number, Set<number>>();
    const consumer = B.consumer({ groupId: group });
    await consumer.connect();
    await consumer.subscribe({ topics: [`A.${topic}`] });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const index = upstreamIndex(String(message.value));
        if (!firstRead.has(partition)) firstRead.set(partition, index);
        let set = seen.get(partition);
        if (set === undefined) seen.set(partition, (set = new Set()));
        set.add(index);
      },
    });
    try {
      await waitFor(
        () => [0, 1, 2, 3].every((p) => seen.get(p)?.has(perPartition - 1)),
        60_000,
        'the resumed consumer reaching the end on B',
        500,
      );
    } finally {
      await consumer.disconnect();
    }
    for (let p = 0; p < 4; p++) {
      const first = firstRead.get(p)!;
      assert.ok(
        first <= committed[p]!,
        `partition ${p}: resumed at upstream ${first}, after the first unread ${committed[p]}`,
      );
      assert.ok(
        committed[p]! - first <= 100,
        `partition ${p}: re-read ${committed[p]! - first} records (> offset.lag.max)`,
      );
      for (let i = committed[p]!; i < perPartition; i++)
        assert.ok(seen.get(p)!.has(i), `partition ${p}: skipped upstream ${i}`);
    }

    // The group on B is now ahead of its position on A; with no members again, syncing must not move it back.
    const endOnB = await withAdmin(
      B,
      async (b) =>
        new Map((await b.fetchTopicOffsets(`A.${topic}`)).map((o) => [o.partition, Number(o.high)])),
    );
    await waitFor(
      () =>
        withAdmin(B, async (b) =>
          (await b.fetchOffsets({ groupId: group, topics: [`A.${topic}`] }))[0]!.partitions.every(
            (p) => Number(p.offset) === endOnB.get(p.partition),
          ),
        ),
      30_000,
      'the consumer commit on B',
      500,
    );
    await sleep(2 * 2_000 + 1_000); // two sync.group.offsets intervals
    const later = await withAdmin(B, (b) => b.fetchOffsets({ groupId: group, topics: [`A.${topic}`] }));
    for (const p of later[0]!.partitions)
      assert.equal(Number(p.offset), endOnB.get(p.partition), `partition ${p.partition} moved back on B`);
  });

  // A kill -9 of a lone mirror is mirror-kill-loop.test.ts (ten of them, exactly once); the at-least-once
  // path under a kill is the two-process test below.

  test('two processes on the same file share the flow; SIGKILL one mid-replication: every record arrives, per partition in order', async () => {
    const id = uniqueName('mmha');
    const topic = `${id}-t`;
    const perPartition = 20_000;
    forCleanup(id, [topic]);
    await withAdmin(A, (a) =>
      a.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true }),
    );
    // One file, a fixed REST port in it: the second process finds the port taken and serves REST on a free one.
    const first = await MirrorProcess.create(mm2Props(id));
    const second = await first.sameFile();
    try {
      await first.start();
      await second.start();
      assert.notEqual(second.url, first.url);
      // Both processes are members of the flow's group: the three source tasks are spread over both.
      await waitFor(
        async () => {
          const workers = await sourceTaskWorkers(first);
          return workers.length === 3 && new Set(workers).size === 2 ? workers : null;
        },
        90_000,
        'source tasks running on both processes',
        500,
      );
      const producing = produceInterleaved(topic, 3, perPartition);
      await waitFor(
        async () => (await sizeOf(B, `A.${topic}`)) > 6_000,
        120_000,
        'replication under way',
        100,
      );
      // Kill the process running more source tasks (it may also be the group's leader).
      const workers = await sourceTaskWorkers(first);
      const count = (m: MirrorProcess): number => workers.filter((w) => w === m.workerId).length;
      const [victim, survivor] = count(first) >= count(second) ? [first, second] : [second, first];
      await victim.kill9();
      const atKill = await sizeOf(B, `A.${topic}`);
      await producing;
      // The survivor takes over the killed process's tasks once the group expels it (session timeout).
      await waitFor(
        async () => {
          const now = await sourceTaskWorkers(survivor);
          return now.length === 3 && now.every((w) => w === survivor.workerId);
        },
        90_000,
        `all source tasks on the surviving process ${survivor.workerId}`,
        500,
      );
      const lastOf = (p: number): string => `v-${topic}-${p}-${perPartition - 1}`;
      const target = await readAll(B, `A.${topic}`, 3 * perPartition, (read) =>
        [0, 1, 2].every((p) => read.get(p)?.some((r) => r.value === lastOf(p))),
      );
      let duplicates = 0;
      for (let p = 0; p < 3; p++) {
        duplicates += checkInOrder(
          `A.${topic}-${p}`,
          (target.get(p) ?? []).map((r) => r.value),
          perPartition,
        );
      }
      console.log(
        `HA: ${3 * perPartition} records, ${atKill} on B when one process was killed, ${duplicates} copied twice after it`,
      );
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  test('a process started on another machine resumes from the offsets committed in the mm2-offsets topic, not from the beginning', async () => {
    const id = uniqueName('mmresume');
    const topic = `${id}-t`;
    const perPartition = 5_000;
    const offsetsTopic = `mm2-offsets.${id}.internal`;
    forCleanup(id, [topic]);
    await withAdmin(A, (a) =>
      a.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true }),
    );
    await produceInterleaved(topic, 3, perPartition);
    // Port 0: each run's REST API is on a free port.
    const props = mm2Props(id, { listeners: 'http://127.0.0.1:0' });
    const first = await MirrorProcess.create(props);
    // Another directory holding only a copy of mm2.properties: nothing is kept locally.
    const second = await MirrorProcess.create(props);
    try {
      await first.start();
      await waitFor(
        async () => (await sizeOf(B, `A.${topic}`)) >= 3 * perPartition,
        120_000,
        'the first records on B',
        500,
      );
      // The source offsets are in the flow's offsets topic on B (key ["MirrorSourceConnector",{cluster,topic,partition}]).
      await waitFor(
        async () => {
          const offsets = await committedOffsets(offsetsTopic, topic);
          return [0, 1, 2].every((p) => offsets.get(p) === perPartition - 1);
        },
        60_000,
        `offsets ${perPartition - 1} of every partition in ${offsetsTopic}`,
        1_000,
      );
      const viaRest = await rest<{ offsets: { partition: { topic: string }; offset: { offset: number } }[] }>(
        first.url,
        'GET',
        '/connectors/MirrorSourceConnector/offsets',
      );
      assert.deepEqual(
        viaRest.body.offsets.filter((o) => o.partition.topic === topic).map((o) => o.offset.offset),
        [perPartition - 1, perPartition - 1, perPartition - 1],
      );
      await first.kill9();
      await produceInterleaved(topic, 3, perPartition, perPartition);
      await second.start();
      const lastOf = (p: number): string => `v-${topic}-${p}-${2 * perPartition - 1}`;
      const target = await readAll(B, `A.${topic}`, 6 * perPartition, (read) =>
        [0, 1, 2].every((p) => read.get(p)?.some((r) => r.value === lastOf(p))),
      );
      let duplicates = 0;
      for (let p = 0; p < 3; p++) {
        duplicates += checkInOrder(
          `A.${topic}-${p}`,
          (target.get(p) ?? []).map((r) => r.value),
          2 * perPartition,
        );
      }
      console.log(`RESUME: ${duplicates} of ${3 * perPartition} records copied again by the new process`);
      // From the beginning would be 15,000 again; the committed offsets leave at most a few.
      assert.ok(
        duplicates <= 30,
        `${duplicates} records copied again: the new process did not resume from the committed offsets`,
      );
    } finally {
      await first.stop();
      await second.stop();
    }
  });

  test("active/active A<->B: each side gets the other's topics, nothing loops back", async () => {
    const aa = uniqueName('mmaa');
    const onlyA = `${aa}-fromA`;
    const onlyB = `${aa}-fromB`;
    forCleanup(aa, [onlyA]);
    cleanup.B.add(onlyB);
    cleanup.A.add(`B.${onlyB}`);
    for (const t of internalTopicsOf(aa)) cleanup.A.add(t);
    cleanup.groupsA.add(`${aa}-mm2`);
    await withAdmin(A, (a) =>
      a.createTopics({ topics: [{ topic: onlyA, numPartitions: 1 }], waitForLeaders: true }),
    );
    await withAdmin(B, (b) =>
      b.createTopics({ topics: [{ topic: onlyB, numPartitions: 1 }], waitForLeaders: true }),
    );
    await produceMany(onlyA, 1, 10);
    const producer = B.producer();
    await producer.connect();
    await producer.send({
      topic: onlyB,
      messages: Array.from({ length: 10 }, (_, i) => ({ value: `b-${i}` })),
      acks: -1,
    });
    await producer.disconnect();
    const both = await MirrorProcess.create(
      mm2Props(aa, {
        'B->A.enabled': 'true',
        'B->A.topics': `A\\.${aa}.*|${aa}.*`,
        'B->A.groups': `${aa}.*`,
        ...flowState(aa, 'A'),
      }),
    );
    try {
      await both.start(['A->B', 'B->A']);
      await waitFor(async () => (await sizeOf(B, `A.${onlyA}`)) >= 10, 60_000, `A.${onlyA} on B`, 1_000);
      await waitFor(async () => (await sizeOf(A, `B.${onlyB}`)) >= 10, 60_000, `B.${onlyB} on A`, 1_000);
      // One more topic refresh (every 5 s) on each side: a loop would have created B.A.* on A or A.B.* on B by then.
      await sleep(7_000);
      const onA = await withAdmin(A, (a) => a.listTopics());
      const onB = await withAdmin(B, (b) => b.listTopics());
      assert.ok(!onA.some((t) => t.startsWith(`B.A.${aa}`)), "B.A.* on A means A's topic came back");
      assert.ok(!onB.some((t) => t.startsWith(`A.B.${aa}`)), "A.B.* on B means B's topic came back");
    } finally {
      await both.stop();
    }
  });
});
