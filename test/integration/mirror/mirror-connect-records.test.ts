// What a Java MirrorMaker 2 / Connect worker taking over a Sluice mirror finds in the flow's internal
// topics and on the target cluster (issue 12): task configs with task.class and a session-key record in
// mm2-configs, statuses with version in mm2-status, and the group's commit metadata carried by
// checkpoints into the offsets synced on B.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Kafka } from 'kafkajs';
import { uniqueName, waitFor } from '../../support/worker-process.js';
import { decodeCheckpoint, type Checkpoint } from '../../../connectors/mirror/checkpoint.js';
import {
  A,
  B,
  deleteAll,
  internalTopicsOf,
  mm2Props,
  produceInterleaved,
  sizeOf,
  withAdmin,
} from './mirror-fixture.js';
import { MirrorProcess } from './mirror-process.js';

/** The latest value per key of a compacted topic, read to its current end. */
async function latestValues(kafka: Kafka, topic: string): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const end = await withAdmin(kafka, (a) => a.fetchTopicOffsets(topic));
  const remaining = new Set(end.filter((o) => Number(o.high) > 0).map((o) => o.partition));
  const consumer = kafka.consumer({ groupId: uniqueName('mirror-it-internal') });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    if (remaining.size === 0) resolve();
    void consumer.run({
      eachMessage: async ({ partition, message }) => {
        out.set(String(message.key), message.value === null ? null : String(message.value));
        if (BigInt(message.offset) + 1n >= BigInt(end.find((o) => o.partition === partition)!.high)) {
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
  return out;
}

/** Commits `offset` with `metadata` for each partition of `topic` in `group` on A, as a Java consumer would. */
async function commitWithMetadata(
  group: string,
  topic: string,
  offsets: readonly number[],
  metadata: string,
) {
  const consumer = A.consumer({ groupId: group });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  let assigned = false;
  consumer.on(consumer.events.GROUP_JOIN, () => (assigned = true));
  await consumer.run({ autoCommit: false, eachMessage: async () => undefined });
  try {
    await waitFor(() => assigned, 60_000, `joining ${group} on A`, 200);
    await consumer.commitOffsets(
      offsets.map((offset, partition) => ({ topic, partition, offset: String(offset), metadata })),
    );
  } finally {
    await consumer.disconnect();
  }
}

describe(
  'sluice mirror: Connect records in the flow topics, commit metadata on B',
  { timeout: 300_000 },
  () => {
    const prefix = uniqueName('mmrec');
    const topic = `${prefix}-t`;
    const group = `${prefix}-group`;
    let mirror: MirrorProcess | null = null;
    after(async () => {
      await mirror?.stop();
      await deleteAll(A, new Set([topic]), new Set([group]));
      await deleteAll(
        B,
        new Set([`A.${topic}`, ...internalTopicsOf(prefix)]),
        new Set([`${prefix}-mm2`, group]),
      );
    });

    test("mm2-configs has task.class in task configs and a session-key; mm2-status has version; checkpoints and B's group keep the commit metadata", async () => {
      await withAdmin(A, (a) =>
        a.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true }),
      );
      await produceInterleaved(topic, 2, 200);
      mirror = await MirrorProcess.create(mm2Props(prefix));
      await mirror.start();
      await waitFor(async () => (await sizeOf(B, `A.${topic}`)) >= 400, 120_000, `A.${topic} on B`, 1_000);

      const metadata = 'consumer-meta:{"app":"orders","v":2}';
      const committed = [150, 170];
      await commitWithMetadata(group, topic, committed, metadata);

      // Checkpoints carry the metadata...
      const checkpoints = new Map<number, Checkpoint>();
      const reader = B.consumer({ groupId: uniqueName('mirror-it-checkpoints') });
      await reader.connect();
      await reader.subscribe({ topics: ['A.checkpoints.internal'], fromBeginning: true });
      await reader.run({
        eachMessage: async ({ message }) => {
          if (message.key === null || message.value === null) return;
          const c = decodeCheckpoint(message.key, message.value);
          if (c.group === group) checkpoints.set(c.partition, c);
        },
      });
      try {
        await waitFor(
          () => committed.every((o, p) => checkpoints.get(p)?.upstreamOffset === o),
          90_000,
          `checkpoints of ${group}`,
          500,
        );
      } finally {
        await reader.disconnect();
      }
      for (const c of checkpoints.values()) assert.equal(c.metadata, metadata, 'checkpoint metadata');

      // ...and the offsets synced to the idle group on B are committed with it.
      const synced = await waitFor(
        () =>
          withAdmin(B, async (b) => {
            const parts =
              (await b.fetchOffsets({ groupId: group, topics: [`A.${topic}`] }))[0]?.partitions ?? [];
            return parts.length === 2 && parts.every((p) => Number(p.offset) >= 0) ? parts : null;
          }),
        60_000,
        `synced offsets of ${group} on B`,
        1_000,
      );
      for (const p of synced) assert.equal(p.metadata, metadata, `partition ${p.partition}: metadata on B`);

      const configs = await latestValues(B, `mm2-configs.${prefix}.internal`);
      const taskRecords = [...configs].filter(([k, v]) => k.startsWith('task-') && v !== null);
      assert.ok(taskRecords.length > 0, 'task config records in mm2-configs');
      const taskClasses = new Map(
        taskRecords.map(([k, v]) => [
          k,
          (JSON.parse(v!) as { properties: Record<string, string> }).properties['task.class'],
        ]),
      );
      for (const [k, cls] of taskClasses) {
        const expected = k.startsWith('task-MirrorSourceConnector-')
          ? 'org.apache.kafka.connect.mirror.MirrorSourceTask'
          : k.startsWith('task-MirrorCheckpointConnector-')
            ? 'org.apache.kafka.connect.mirror.MirrorCheckpointTask'
            : 'org.apache.kafka.connect.mirror.MirrorHeartbeatTask';
        assert.equal(cls, expected, `${k}: task.class`);
      }
      const sessionKey = JSON.parse(configs.get('session-key') ?? 'null') as Record<string, unknown> | null;
      assert.ok(sessionKey !== null, 'a session-key record in mm2-configs');
      assert.deepEqual(Object.keys(sessionKey), ['key', 'algorithm', 'creation-timestamp']);
      assert.equal(sessionKey['algorithm'], 'HmacSHA256');
      assert.equal(Buffer.from(sessionKey['key'] as string, 'base64').length, 32);

      const statuses = await latestValues(B, `mm2-status.${prefix}.internal`);
      const running = [...statuses]
        .filter(([k, v]) => v !== null && !k.startsWith('status-topic-'))
        .map(([, v]) => JSON.parse(v!) as Record<string, unknown>);
      assert.ok(running.length > 0, 'status records in mm2-status');
      for (const s of running)
        assert.equal(s['version'], '0.1.0', `status ${JSON.stringify(s)} carries version`);
      // Topic tracking (KIP-558): the checkpoint task's topic, in Connect's record.
      const tracked = JSON.parse(
        statuses.get('status-topic-A.checkpoints.internal:connector-MirrorCheckpointConnector') ?? 'null',
      ) as { topic: Record<string, unknown> } | null;
      assert.deepEqual(Object.keys(tracked?.topic ?? {}), ['name', 'connector', 'task', 'discoverTimestamp']);
    });
  },
);
