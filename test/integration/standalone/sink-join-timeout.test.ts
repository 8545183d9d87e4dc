// A sink whose consumer group never completes a join (issue 21) does not wait silently for ever: while it
// waits, its log and its status say for which group and how long; each member gets session.timeout.ms +
// the rebalance timeout (+5 s) before a fresh one replaces it, and after three members the task FAILS with
// KAFKA_GROUP_JOIN_TIMEOUT naming the group.
// The stall is made with a member that never rejoins: another consumer of the same group, stuck in
// processing a batch, with a long session and rebalance timeout. The coordinator holds every join until
// that member rejoins or expires (here: after the test).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { kafkaBrokers } from '../../support/endpoints.js';
import { createTopic, deleteTopics, produce } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

const STUCK_MEMBER_TIMEOUT_MS = 180_000;

/** Joins `group`, takes the first batch and keeps it until released: a member that never rejoins. */
async function stuckMember(group: string, topic: string): Promise<{ consumer: Consumer; release(): void }> {
  const consumer = new Kafka({
    clientId: 'sluice-it-stuck',
    brokers: kafkaBrokers(),
    logLevel: logLevel.NOTHING,
  }).consumer({
    groupId: group,
    sessionTimeout: STUCK_MEMBER_TIMEOUT_MS,
    rebalanceTimeout: STUCK_MEMBER_TIMEOUT_MS,
  });
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding = false;
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachBatch: async () => {
      holding = true;
      await released;
    },
  });
  await waitFor(() => holding, 30_000, `the stuck member of ${group} holding a batch`);
  return { consumer, release };
}

describe('a sink whose group never completes a join', { timeout: 150_000 }, () => {
  const topic = uniqueName('it-joinstall');
  let worker: WorkerProcess | null = null;
  let stuck: { consumer: Consumer; release(): void } | null = null;
  after(async () => {
    await worker?.dispose();
    stuck?.release();
    await stuck?.consumer.disconnect().catch(() => undefined);
    await deleteTopics([topic]);
  });

  test('says what it waits for, rejoins, then fails with KAFKA_GROUP_JOIN_TIMEOUT naming the group', async () => {
    await createTopic(topic, 1);
    await produce(topic, [{ value: 'one' }]);
    const sink = uniqueName('joinstall-sink');
    const group = `connect-${sink}`;
    stuck = await stuckMember(group, topic);

    // The shortest timeouts the broker accepts keep each member's deadline at 6 + 6 + 5 s.
    worker = await WorkerProcess.start({
      properties: { 'consumer.session.timeout.ms': '6000', 'consumer.max.poll.interval.ms': '6000' },
    });
    await worker.createConnector(sink, {
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: `${worker.dir}/out.txt`,
    });

    const waiting = await waitFor(
      async () => {
        const task = (await worker!.status(sink)).tasks[0];
        return task?.state === 'RUNNING' && task.trace?.includes(group) ? task : false;
      },
      30_000,
      `task status saying it waits for group ${group}`,
    );
    assert.match(waiting.trace ?? '', /Waiting for a partition assignment from consumer group/);
    assert.match(
      worker.output,
      new RegExp(`waiting for a partition assignment from consumer group ${group} for \\d+ s`),
    );

    const failed = await worker.waitForTaskState(sink, 'FAILED', 100_000);
    const trace = failed.tasks[0]?.trace ?? '';
    assert.match(trace, /Consumer group \S+ assigned this task no partitions in \d+ s \(3 member\(s\) tried/);
    assert.ok(trace.includes(group), `the failure names the group: ${trace}`);
    assert.match(worker.output, /rejoining as a fresh member/);
  });
});
