// `sluice logs` against a real worker: the connector's and its task's lifecycle lines through
// GET /connectors/{name}/logs, a long poll that answers when the next line is logged, and --follow
// printing a pause and a resume as they happen.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SluiceProcess } from '../../support/sluice-process.js';
import { runCli, uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

interface LogPage {
  worker_id: string;
  next: number;
  lines: { seq: number; time: number; level: string; logger: string; message: string }[];
}

describe('sluice logs', { timeout: 120_000 }, () => {
  let worker: WorkerProcess;
  const name = uniqueName('logs-gen');
  const topic = uniqueName('logs-gen-topic');
  const follower = new SluiceProcess({});

  before(async () => {
    worker = await WorkerProcess.start();
    await worker.createConnector(name, {
      'connector.class': 'DatagenSource',
      'kafka.topic': topic,
      'max.records': '5',
      'tasks.max': '1',
    });
    await worker.waitForState(name, 'RUNNING', 1);
  });
  after(async () => {
    await follower.kill9().catch(() => undefined);
    await worker.dispose();
  });

  test('prints the connector and task lines, oldest first', async () => {
    const result = await runCli(['logs', name, '--url', worker.url]);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trim().split('\n');
    const connectorLine = lines.findIndex((l) =>
      new RegExp(
        `^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z INFO  connector\\.${name}  connector ${name} is RUNNING`,
      ).test(l),
    );
    const taskLine = lines.findIndex((l) =>
      new RegExp(`^\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z INFO  task\\.${name}-0  task ${name}-0 is RUNNING`).test(l),
    );
    assert.ok(connectorLine >= 0, `the connector's RUNNING line in:\n${result.stdout}`);
    assert.ok(taskLine > connectorLine, `the task's RUNNING line after it in:\n${result.stdout}`);

    const json = await runCli(['logs', name, '--url', worker.url, '-o', 'json', '-n', '1']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as unknown[]).length, 1, '-n 1 gives one line');
  });

  test('a long poll answers with the next line as soon as it is logged', async () => {
    const first = await worker.rest<LogPage>('GET', `/connectors/${name}/logs`);
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.worker_id, `127.0.0.1:${worker.port}`);
    assert.ok(first.body.lines.length >= 2);
    const waiting = worker.rest<LogPage>(
      'GET',
      `/connectors/${name}/logs?since=${first.body.next}&wait_ms=30000`,
    );
    assert.equal((await worker.rest('PUT', `/connectors/${name}/pause`)).status, 202);
    const next = await waiting;
    assert.equal(next.status, 200, next.text);
    assert.ok(
      next.body.lines.some(
        (l) => l.message === `connector ${name} is PAUSED` || l.message === `task ${name}-0 is PAUSED`,
      ),
      JSON.stringify(next.body.lines),
    );
    assert.ok(
      next.body.lines.every((l) => l.seq > first.body.next),
      'only lines after since',
    );
    assert.equal((await worker.rest('PUT', `/connectors/${name}/resume`)).status, 202);
    await worker.waitForState(name, 'RUNNING', 1);
  });

  test('--follow prints a pause and a resume as they happen', async () => {
    await follower.start(
      ['logs', name, '--url', worker.url, '--follow', '-n', '0'],
      async () => true,
      1_000,
      'sluice logs --follow',
    );
    // The follower asked for its first page before the pause: wait until it is waiting for new lines.
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal((await worker.rest('PUT', `/connectors/${name}/pause`)).status, 202);
    await waitFor(() => follower.output.includes(`task ${name}-0 is PAUSED`), 30_000, 'the PAUSED line');
    assert.equal((await worker.rest('PUT', `/connectors/${name}/resume`)).status, 202);
    await waitFor(
      () => follower.output.slice(follower.output.indexOf('is PAUSED')).includes(`task ${name}-0 is RUNNING`),
      30_000,
      'the RUNNING line after it',
    );
  });

  test('an unknown connector is refused with exit code 1', async () => {
    const result = await runCli(['logs', 'no-such-connector', '--url', worker.url]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Connector no-such-connector not found \(HTTP 404\)/);
    const bad = await worker.rest('GET', `/connectors/${name}/logs?since=abc`);
    assert.equal(bad.status, 400);
  });
});
