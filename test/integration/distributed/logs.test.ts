// `sluice logs` on a distributed cluster: each worker keeps the lines of what it runs, and the CLI gathers
// them from every worker the status names, so one command shows the tasks of both workers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deleteTopics } from '../../support/kafka-test-client.js';
import { runCli, uniqueName } from '../../support/worker-process.js';
import { TestCluster } from './distributed-worker.js';

interface LogPage {
  worker_id: string;
  lines: { logger: string; message: string }[];
}

describe('sluice logs on two distributed workers', { timeout: 180_000 }, () => {
  let cluster: TestCluster;
  const name = uniqueName('dist-logs');
  const topic = uniqueName('dist-logs-topic');

  before(async () => {
    cluster = await TestCluster.create();
    await cluster.start(2);
  });
  after(async () => {
    await cluster?.dispose();
    await deleteTopics([topic]);
  });

  test("the lines of tasks on both workers, through one worker's URL", async () => {
    const [first, second] = cluster.workers as [(typeof cluster.workers)[0], (typeof cluster.workers)[0]];
    const created = await first.rest('POST', '/connectors', {
      name,
      config: {
        'connector.class': 'DatagenSource',
        'kafka.topic': topic,
        'tasks.max': '2',
        'records.per.second': '1',
      },
    });
    assert.equal(created.status, 201, created.text);
    const status = await cluster.waitForState(first, name, 'RUNNING', 2);
    const taskWorkers = new Set(status.tasks.map((t) => t.worker_id));
    assert.equal(
      taskWorkers.size,
      2,
      `the two tasks run on different workers: ${JSON.stringify(status.tasks)}`,
    );

    // Each worker answers with the lines of what it runs itself.
    for (const worker of [first, second]) {
      const page = await worker.rest<LogPage>('GET', `/connectors/${name}/logs`);
      assert.equal(page.status, 200, page.text);
      assert.equal(page.body.worker_id, worker.workerId);
      const own = status.tasks.find((t) => t.worker_id === worker.workerId)!.id;
      assert.ok(
        page.body.lines.some((l) => l.message === `task ${name}-${own} is RUNNING`),
        `${worker.workerId} has its task's line`,
      );
      assert.ok(
        !page.body.lines.some((l) => l.message === `task ${name}-${1 - own} is RUNNING`),
        `${worker.workerId} has not the other worker's task line`,
      );
    }

    const result = await runCli(['logs', name, '--url', second.url]);
    assert.equal(result.code, 0, result.stderr);
    for (const task of [0, 1])
      assert.match(
        result.stdout,
        new RegExp(`INFO  task\\.${name}-${task}  task ${name}-${task} is RUNNING`),
      );
    assert.match(result.stdout, new RegExp(`INFO  connector\\.${name}  connector ${name} is RUNNING`));
  });
});
