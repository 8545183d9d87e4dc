// Three (then four) `sluice distributed` processes against the real Kafka: tasks spread evenly, any
// worker answers reads and takes writes (followers forward them to the leader), lifecycle changes take
// effect cluster-wide, a connector stuck in start/stop blocks nothing else, and a new worker takes a
// share without restarting the tasks that stay.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Kafka, logLevel } from 'kafkajs';
import { kafkaBrokers } from '../../support/endpoints.js';
import { createTopic, readTopic, topicSize } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, type ConnectorStatus } from '../../support/worker-process.js';
import { isLeader, tasksPerWorker, TestCluster, type DistributedWorker } from './distributed-worker.js';

describe('distributed cluster: assignment and REST on every worker', { timeout: 300_000 }, () => {
  let cluster: TestCluster;
  const topic = uniqueName('it-dist-gen');
  const connector = uniqueName('gen');
  let follower: DistributedWorker;

  before(async () => {
    cluster = await TestCluster.create();
    await createTopic(topic, 3);
    await cluster.start(3);
    follower = await waitFor(() => cluster.workers.find((w) => !isLeader(w)), 20_000, 'a follower');
  });
  after(async () => cluster.dispose([topic]));

  const datagen = (tasks: number): Record<string, string> => ({
    'connector.class': 'DatagenSource',
    'kafka.topic': topic,
    'tasks.max': String(tasks),
    'records.per.second': '5',
    'record.size.bytes': '0',
  });

  test(
    'a connector created through a follower with tasks.max=6 runs 2 tasks on each of 3 workers',
    { timeout: 90_000 },
    async () => {
      const created = await follower.rest('POST', '/connectors', { name: connector, config: datagen(6) });
      assert.equal(created.status, 201, created.text);
      const status = await cluster.waitForState(cluster.workers[0]!, connector, 'RUNNING', 6);
      const perWorker = tasksPerWorker(status);
      assert.deepEqual(
        [...perWorker.entries()].sort(),
        cluster.workers.map((w) => [w.workerId, 2]).sort(),
        `tasks per worker: ${JSON.stringify([...perWorker])}`,
      );
      assert.ok(cluster.workers.some((w) => w.workerId === status.connector.worker_id));
      // Every worker answers reads from its own copy of the status topic, expand=status included.
      for (const w of cluster.workers) {
        const expanded = await waitFor(
          async () => {
            const reply = await w.rest<Record<string, { status: ConnectorStatus }>>(
              'GET',
              '/connectors?expand=status',
            );
            const s = reply.body[connector]?.status;
            return s !== undefined && s.tasks.length === 6 && s.tasks.every((t) => t.state === 'RUNNING')
              ? s
              : false;
          },
          10_000,
          `expand=status on ${w.url}`,
        );
        assert.deepEqual(tasksPerWorker(expanded), perWorker);
      }
    },
  );

  test(
    'GET /metrics on every worker: group rounds counted, exactly one leader',
    { timeout: 30_000 },
    async () => {
      const leaders: string[] = [];
      for (const w of cluster.workers) {
        const reply = await w.rest('GET', '/metrics');
        assert.equal(reply.status, 200);
        const value = (name: string): number => {
          const line = reply.text.split('\n').find((l) => l.startsWith(`${name} `));
          assert.ok(line, `${name} on ${w.workerId}`);
          return Number(line.split(' ')[1]);
        };
        assert.ok(value('kafka_connect_worker_rebalance_completed_rebalances_total') >= 1);
        if (value('sluice_worker_rebalance_leader') === 1) leaders.push(w.workerId);
      }
      assert.equal(leaders.length, 1, `leaders: ${leaders.join(', ')}`);
    },
  );

  test(
    'pause, resume, stop, restart, config update and delete sent to a follower act cluster-wide',
    { timeout: 150_000 },
    async () => {
      const observer = cluster.workers.find((w) => w !== follower)!;
      assert.equal((await follower.rest('PUT', `/connectors/${connector}/pause`)).status, 202);
      await cluster.waitForState(observer, connector, 'PAUSED', 6);
      assert.equal((await follower.rest('PUT', `/connectors/${connector}/resume`)).status, 202);
      await cluster.waitForState(observer, connector, 'RUNNING', 6);

      assert.equal((await follower.rest('PUT', `/connectors/${connector}/stop`)).status, 204);
      const stopped = await cluster.waitForState(observer, connector, 'STOPPED', 0);
      assert.equal(stopped.tasks.length, 0);
      const info = await observer.rest<{ tasks: unknown[] }>('GET', `/connectors/${connector}`);
      assert.deepEqual(info.body.tasks, [], 'a stopped connector has no tasks');
      assert.equal((await follower.rest('PUT', `/connectors/${connector}/resume`)).status, 202);
      await cluster.waitForState(observer, connector, 'RUNNING', 6);

      const startsBefore = cluster.workers.map((w) => w.taskStarts(connector));
      const restart = await follower.rest<ConnectorStatus>(
        'POST',
        `/connectors/${connector}/restart?includeTasks=true`,
      );
      assert.equal(restart.status, 202, restart.text);
      assert.equal(restart.body.connector.state, 'RESTARTING');
      await waitFor(
        () => {
          const total = (starts: Map<number, number>[]): number =>
            starts.reduce((sum, m) => sum + [...m.values()].reduce((a, b) => a + b, 0), 0);
          return total(cluster.workers.map((w) => w.taskStarts(connector))) >= total(startsBefore) + 6;
        },
        30_000,
        'all 6 tasks restarted on their workers',
      );
      await cluster.waitForState(observer, connector, 'RUNNING', 6);

      const update = await follower.rest('PUT', `/connectors/${connector}/config`, datagen(3));
      assert.equal(update.status, 200, update.text);
      await cluster.waitForState(observer, connector, 'RUNNING', 3);
      const tasks = await observer.rest<{ config: Record<string, string> }[]>(
        'GET',
        `/connectors/${connector}/tasks`,
      );
      assert.equal(tasks.body.length, 3);
      assert.ok(tasks.body.every((t) => t.config['tasks.max'] === '3'));

      const missing = await follower.rest('PUT', '/connectors/no-such-connector/pause');
      assert.equal(missing.status, 404, 'the leader’s error is passed back through the follower');
      const duplicate = await follower.rest('POST', '/connectors', { name: connector, config: datagen(3) });
      assert.equal(duplicate.status, 409);

      assert.equal((await follower.rest('DELETE', `/connectors/${connector}`)).status, 204);
      for (const w of cluster.workers) {
        await waitFor(
          async () => (await w.rest('GET', `/connectors/${connector}/status`)).status === 404,
          15_000,
          `${connector} gone on ${w.url}`,
        );
        assert.deepEqual((await w.rest<string[]>('GET', '/connectors')).body.includes(connector), false);
      }
      // Its tasks are no longer running anywhere: nothing reports the connector again.
      await new Promise((r) => setTimeout(r, 2_000));
      assert.equal((await observer.rest('GET', `/connectors/${connector}/status`)).status, 404);
    },
  );

  test('internal topics are compacted and hold Connect-format records', { timeout: 60_000 }, async () => {
    const kafka = new Kafka({ clientId: 'sluice-it', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const described = await admin.describeConfigs({
        resources: cluster.topics.map((name) => ({ type: 2, name, configNames: ['cleanup.policy'] })),
        includeSynonyms: false,
      });
      for (const r of described.resources) {
        assert.equal(
          r.configEntries.find((e) => e.configName === 'cleanup.policy')?.configValue,
          'compact',
          r.resourceName,
        );
      }
      const [configs] = await admin
        .fetchTopicMetadata({ topics: [cluster.topics[0]!] })
        .then((m) => m.topics);
      assert.equal(
        configs?.partitions.length,
        1,
        'the config topic has one partition (a total order of changes)',
      );
    } finally {
      await admin.disconnect();
    }
    // What a tool reading Connect's config topic expects, for the connector created (and deleted) above.
    const records = await readTopic(cluster.topics[0]!, await topicSize(cluster.topics[0]!));
    const byKey = new Map(records.map((r) => [r.key?.toString() ?? '', r.value?.toString() ?? null]));
    assert.equal(byKey.get(`connector-${connector}`), null, 'deleted: a tombstone');
    assert.match(byKey.get(`commit-${connector}`) ?? '', /^\{"tasks":\d+\}$/);
    assert.match(byKey.get(`task-${connector}-0`) ?? '', /^\{"properties":\{.*"datagen.task.index":"0"/);
    const statuses = await readTopic(cluster.topics[2]!, await topicSize(cluster.topics[2]!));
    const status = statuses.find((r) => r.key?.toString().startsWith('status-task-') && r.value !== null);
    assert.ok(status, 'task statuses are in the status topic');
    const value = JSON.parse(status.value!.toString()) as Record<string, unknown>;
    // Connect 4.1's status value: version (KIP-891) next to state, trace, worker_id and generation.
    assert.deepEqual(Object.keys(value).sort(), ['generation', 'state', 'trace', 'version', 'worker_id']);
  });

  test(
    'a fourth worker takes a share; the tasks that stay are not restarted',
    { timeout: 120_000 },
    async () => {
      const name = uniqueName('gen8');
      assert.equal((await follower.rest('POST', '/connectors', { name, config: datagen(8) })).status, 201);
      const before = await cluster.waitForState(cluster.workers[0]!, name, 'RUNNING', 8);
      const startsBefore = new Map(cluster.workers.map((w) => [w.workerId, w.taskStarts(name)]));
      const fourth = await cluster.addWorker();
      const afterJoin = await waitFor(
        async () => {
          const s = await fourth.status(name);
          const counts = tasksPerWorker(s);
          return s.tasks.length === 8 &&
            s.tasks.every((t) => t.state === 'RUNNING') &&
            counts.get(fourth.workerId) === 2
            ? s
            : false;
        },
        60_000,
        'two of the 8 tasks running on the fourth worker',
      );
      assert.ok(
        [...tasksPerWorker(afterJoin).values()].every((n) => n === 2),
        JSON.stringify([...tasksPerWorker(afterJoin)]),
      );
      const moved = afterJoin.tasks.filter(
        (t) => before.tasks.find((b) => b.id === t.id)!.worker_id !== t.worker_id,
      );
      assert.equal(moved.length, 2, 'only the tasks the new worker takes move');
      for (const t of afterJoin.tasks) {
        if (t.worker_id === fourth.workerId) continue;
        const w = cluster.workers.find((x) => x.workerId === t.worker_id)!;
        assert.equal(
          w.taskStarts(name).get(t.id),
          startsBefore.get(w.workerId)!.get(t.id),
          `task ${t.id} on ${t.worker_id} was restarted`,
        );
      }
      assert.deepEqual([...fourth.taskStarts(name).values()], [1, 1]);
    },
  );

  test(
    'a connector stuck in start() or stop() holds up neither REST on any worker nor other connectors',
    { timeout: 120_000 },
    async () => {
      const slow = uniqueName('slow');
      const quick = uniqueName('quick');
      const slowConfig = {
        'connector.class': 'SlowStartStopSource',
        'start.delay.ms': '30000',
        'stop.delay.ms': '10000',
      };
      assert.equal(
        (await follower.rest('POST', '/connectors', { name: slow, config: slowConfig })).status,
        201,
      );
      // While the slow connector is starting: every worker answers at once, and another connector starts.
      const created = Date.now();
      assert.equal(
        (await follower.rest('POST', '/connectors', { name: quick, config: datagen(3) })).status,
        201,
      );
      await cluster.waitForState(cluster.workers[0]!, quick, 'RUNNING', 3, 20_000);
      for (const w of cluster.workers) {
        const asked = Date.now();
        const list = await w.rest<string[]>('GET', '/connectors');
        assert.equal(list.status, 200);
        assert.ok(list.body.includes(slow) && list.body.includes(quick));
        assert.ok(
          Date.now() - asked < 2_000,
          `GET /connectors on ${w.workerId} took ${Date.now() - asked} ms`,
        );
      }
      assert.notEqual(
        (await follower.status(slow)).connector.state,
        'RUNNING',
        'the slow start is still going on',
      );
      assert.ok(Date.now() - created < 30_000, 'the other connector did not wait for the slow start');

      // Deleting it waits for its slow stop() in the background; REST and the rest of the cluster do not.
      await cluster.waitForState(cluster.workers[0]!, slow, 'RUNNING', 1, 60_000);
      const deleting = Date.now();
      assert.equal((await follower.rest('DELETE', `/connectors/${slow}`)).status, 204);
      assert.ok(Date.now() - deleting < 5_000, `DELETE took ${Date.now() - deleting} ms`);
      assert.equal((await follower.rest('PUT', `/connectors/${quick}/pause`)).status, 202);
      await cluster.waitForState(cluster.workers[0]!, quick, 'PAUSED', 3, 5_000);
      assert.equal((await follower.rest('DELETE', `/connectors/${quick}`)).status, 204);
    },
  );
});
