// The operator CLI against a real worker, as an operator uses it: apply files (create, show the diff,
// update, leave alone), read the table, pause and resume, typos caught with a did-you-mean, and a
// clear exit code when no worker answers. One worker for the whole file keeps it fast.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { freePort, runCli, uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

describe('sluice operator CLI', { timeout: 90_000 }, () => {
  let worker: WorkerProcess;
  const name = uniqueName('cli-gen');
  const topic = uniqueName('cli-gen-topic');
  const sluice = (...args: string[]) => runCli([...args, '--url', worker.url]);
  const datagen = (extra: Record<string, string>) =>
    JSON.stringify({
      name,
      config: { 'connector.class': 'DatagenSource', 'kafka.topic': topic, 'max.records': '5', ...extra },
    });

  before(async () => {
    // A typo in the worker file too: the worker still starts, and says which key it meant; text logs.
    worker = await WorkerProcess.start({
      properties: { 'bootstrap.server': 'typo:9092', 'log.format': 'text' },
    });
  });
  after(async () => {
    await worker.dispose();
  });

  test('the worker warns about a mistyped worker key with a did-you-mean, in the text log format', () => {
    assert.match(
      worker.output,
      /^\d{4}-\d\d-\d\dT[\d:.]+Z WARN {2}\[sluice\.worker\] Unknown worker configuration 'bootstrap\.server' is ignored; did you mean 'bootstrap\.servers'\?/m,
    );
  });

  test('apply creates, then shows the diff and updates, then changes nothing', async () => {
    const file = join(worker.dir, 'gen.json');
    await writeFile(file, datagen({ 'records.per.second': '5', 'tasks.maxx': '1' }));
    const created = await sluice('connectors', 'apply', '-f', file);
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /\+ records\.per\.second=5/);
    assert.match(created.stdout, /did you mean 'tasks\.max'\?/);
    assert.match(created.stdout, new RegExp(`${name}\\s+created`));
    await worker.waitForState(name, 'RUNNING', 1);
    assert.match(worker.output, /connector .*: Unknown connector configuration 'tasks\.maxx'/);

    await writeFile(file, datagen({ 'records.per.second': '7' }));
    const updated = await sluice('connectors', 'apply', '-f', file);
    assert.equal(updated.code, 0, updated.stderr);
    assert.match(updated.stdout, /~ records\.per\.second: 5 -> 7/);
    assert.match(updated.stdout, /- tasks\.maxx=1/);
    assert.match(updated.stdout, new RegExp(`${name}\\s+updated`));

    const again = await sluice('connectors', 'apply', '-f', file);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`${name}\\s+unchanged`));
    assert.doesNotMatch(again.stdout, /[~+-] records/);
  });

  test('status and list show the connector RUNNING on this worker, in every output format', async () => {
    await worker.waitForState(name, 'RUNNING', 1);
    const table = await sluice('status');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /CONNECTOR\s+TASK\s+TYPE\s+STATE\s+WORKER\s+LAG/);
    assert.match(
      table.stdout,
      new RegExp(`${name}\\s+0\\s+source\\s+RUNNING\\s+127\\.0\\.0\\.1:${worker.port}`),
    );

    const yaml = parse((await sluice('connectors', 'list', '-o', 'yaml')).stdout) as {
      name: string;
      state: string;
    }[];
    assert.deepEqual(
      yaml.filter((c) => c.name === name).map((c) => c.state),
      ['RUNNING'],
    );
    const json = JSON.parse((await sluice('connectors', 'describe', name, '-o', 'json')).stdout) as {
      config: Record<string, string>;
    };
    assert.equal(json.config['records.per.second'], '7');
  });

  test('pause and resume show in the table and in the worker log', async () => {
    assert.equal((await sluice('connectors', 'pause', name)).code, 0);
    await worker.waitForState(name, 'PAUSED', 1);
    assert.match((await sluice('connectors', 'list')).stdout, new RegExp(`${name}\\s+source\\s+PAUSED`));
    assert.equal((await sluice('connectors', 'resume', name)).code, 0);
    await worker.waitForState(name, 'RUNNING', 1);
    await waitFor(async () => /connector \S+ is PAUSED/.test(worker.output), 5_000, 'the pause logged');
  });

  test('a directory of .properties files applies each, and a mistyped class gets a did-you-mean', async () => {
    const dir = join(worker.dir, 'connectors');
    await mkdir(dir);
    const other = uniqueName('cli-dir');
    await writeFile(
      join(dir, 'a.properties'),
      `name=${other}\nconnector.class=DatagenSource\nkafka.topic=${topic}\nmax.records=1\n`,
    );
    const ok = await sluice('connectors', 'apply', '-f', dir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`${other}\\s+created`));

    await writeFile(
      join(dir, 'b.properties'),
      `name=${uniqueName('cli-typo')}\nconnector.class=DatagenSourc\n`,
    );
    const typo = await sluice('connectors', 'apply', '-f', dir);
    assert.equal(typo.code, 1);
    assert.match(typo.stderr, /b\.properties.*did you mean 'DatagenSource'\?/);
    assert.equal((await sluice('connectors', 'delete', other)).code, 0);
  });

  test('stop, offsets get, delete; an unknown connector exits 1', async () => {
    assert.equal((await sluice('connectors', 'stop', name)).code, 0);
    await worker.waitForState(name, 'STOPPED', 0).catch(() => worker.waitForState(name, 'STOPPED', 1));
    const offsets = await sluice('connectors', 'offsets', 'get', name, '-o', 'json');
    assert.equal(offsets.code, 0, offsets.stderr);
    assert.ok(Array.isArray((JSON.parse(offsets.stdout) as { offsets: unknown[] }).offsets));
    assert.equal((await sluice('connectors', 'delete', name)).code, 0);
    assert.doesNotMatch((await sluice('connectors', 'list')).stdout, new RegExp(name));
    const missing = await sluice('connectors', 'pause', name);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /not found \(HTTP 404\)/);
  });

  test('no worker at the URL exits 3 saying how to point at one; a wrong command exits 2', async () => {
    const nobody = await runCli(['status', '--url', `http://127.0.0.1:${await freePort()}`]);
    assert.equal(nobody.code, 3);
    assert.match(nobody.stderr, /Cannot reach a Sluice worker .*SLUICE_URL/);
    const usage = await sluice('connectors', 'frobnicate');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /unknown command 'connectors frobnicate'/);
  });
});
