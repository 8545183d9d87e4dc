// What a connector config may ask of a worker, checked against a real worker: tasks.max within Connect's
// INT range, at least 1 and at most the worker's tasks.max.limit; names every REST path can address;
// and the router's and body parser's own refusals in Connect's error body.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { uniqueName, waitFor, WorkerProcess, type RestReply } from '../../support/worker-process.js';

/** A test connector that can generate more task configs than tasks.max (`generated.tasks`). */
const SLOW_CONNECTOR_PLUGIN = fileURLToPath(
  new URL('../../support/slow-connector-plugin.js', import.meta.url),
);

interface ErrorBody {
  error_code: number;
  message: string;
}

interface ValidateBody {
  error_count: number;
  configs: { value: { name: string; errors: string[] } }[];
}

function assertConnectError(reply: RestReply<ErrorBody>, status: number, message: RegExp): void {
  assert.equal(reply.status, status, `${reply.status}: ${reply.text.slice(0, 300)}`);
  assert.deepEqual(Object.keys(reply.body).sort(), ['error_code', 'message']);
  assert.equal(reply.body.error_code, status);
  assert.match(reply.body.message, message);
}

const HUGE_TASKS_MAX = ['1000000000', '2147483648', '99999999999999999999', '0'];

describe('connector configs a worker refuses', { timeout: 120_000 }, () => {
  let worker: WorkerProcess;
  let sinkConfig: Record<string, string>;

  before(async () => {
    worker = await WorkerProcess.start();
    sinkConfig = {
      'connector.class': 'FileStreamSink',
      topics: uniqueName('it-limits'),
      file: join(worker.dir, 'out.txt'),
    };
  });
  after(async () => {
    await worker?.dispose();
  });

  test('tasks.max out of range or above tasks.max.limit: 400 naming tasks.max on POST, PUT, PATCH and validate', async () => {
    const existing = uniqueName('limits-existing');
    await worker.createConnector(existing, { ...sinkConfig, 'tasks.max': '2' });
    // The connectors file it was saved in is new: created readable by the worker's user only.
    assert.equal((await stat(`${worker.offsetsFile}.connectors.json`)).mode & 0o777, 0o600);
    for (const tasksMax of HUGE_TASKS_MAX) {
      const name = uniqueName('limits-tasks');
      const config = { ...sinkConfig, 'tasks.max': tasksMax };
      assertConnectError(
        await worker.rest<ErrorBody>('POST', '/connectors', { name, config }),
        400,
        /tasks\.max/,
      );
      assertConnectError(
        await worker.rest<ErrorBody>('PUT', `/connectors/${name}/config`, config),
        400,
        /tasks\.max/,
      );
      assertConnectError(
        await worker.rest<ErrorBody>('PATCH', `/connectors/${existing}/config`, { 'tasks.max': tasksMax }),
        400,
        /tasks\.max/,
      );
      const validated = await worker.rest<ValidateBody>(
        'PUT',
        '/connector-plugins/FileStreamSink/config/validate',
        config,
      );
      assert.equal(validated.status, 200);
      const errors = validated.body.configs.find((c) => c.value.name === 'tasks.max')?.value.errors ?? [];
      assert.equal(errors.length, 1, `tasks.max=${tasksMax}: ${JSON.stringify(errors)}`);
    }
    // Nothing was created and the existing connector kept its config.
    const names = await worker.rest<string[]>('GET', '/connectors');
    assert.deepEqual(names.body, [existing]);
    assert.equal(
      (await worker.rest<Record<string, string>>('GET', `/connectors/${existing}/config`)).body['tasks.max'],
      '2',
    );
    // The same number as a JSON number (Connect's mapper turns it into a string) is refused too.
    assertConnectError(
      await worker.rest<ErrorBody>(
        'POST',
        '/connectors',
        `{"name":"${uniqueName('limits-number')}","config":{"connector.class":"FileStreamSink","topics":"t","tasks.max":99999999999999999999}}`,
      ),
      400,
      /tasks\.max/,
    );
    assert.equal((await worker.rest('DELETE', `/connectors/${existing}`)).status, 204);
  });

  test('names no REST path can address: 400 naming the rule', async () => {
    for (const name of ['.', '..']) {
      assertConnectError(
        await worker.rest<ErrorBody>('POST', '/connectors', { name, config: sinkConfig }),
        400,
        /name.*no REST path can address it/s,
      );
    }
    // 4,097 characters once URL-encoded: one past what the router addresses.
    const tooLong = 'n'.repeat(4097);
    assertConnectError(
      await worker.rest<ErrorBody>('POST', '/connectors', { name: tooLong, config: sinkConfig }),
      400,
      /at most 4096 characters once URL-encoded/,
    );
    // Multi-byte names count as encoded: 456 euro signs (%E2%82%AC each) are 4,104 encoded characters.
    assertConnectError(
      await worker.rest<ErrorBody>('POST', '/connectors', { name: '€'.repeat(456), config: sinkConfig }),
      400,
      /at most 4096 characters once URL-encoded/,
    );
    assert.deepEqual((await worker.rest<string[]>('GET', '/connectors')).body, []);
  });

  test('the longest name accepted can be read and deleted', async () => {
    const name = `${uniqueName('long')}-`.padEnd(4096, 'x');
    const created = await worker.rest('POST', '/connectors', {
      name,
      config: sinkConfig,
      initial_state: 'STOPPED',
    });
    assert.equal(created.status, 201, created.text.slice(0, 300));
    const path = `/connectors/${encodeURIComponent(name)}`;
    assert.equal((await worker.rest('GET', path)).status, 200);
    assert.equal((await worker.rest('DELETE', path)).status, 204);
    assert.equal((await worker.rest('GET', path)).status, 404);
  });

  test('a path segment longer than any name: 414 in Connect error body', async () => {
    assertConnectError(
      await worker.rest<ErrorBody>('GET', `/connectors/${'x'.repeat(5000)}`),
      414,
      /longer than 4096 characters/,
    );
  });

  test('a text/plain body: 415 in Connect error body', async () => {
    const response = await fetch(`${worker.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ name: uniqueName('plain'), config: sinkConfig }),
    });
    const body = (await response.json()) as ErrorBody;
    assert.equal(response.status, 415);
    assert.deepEqual(Object.keys(body).sort(), ['error_code', 'message']);
    assert.equal(body.error_code, 415);
    assert.deepEqual((await worker.rest<string[]>('GET', '/connectors')).body, []);
  });

  test('a connector generating more tasks than tasks.max fails unless tasks.max.enforce=false, never past tasks.max.limit', async () => {
    const plugged = await WorkerProcess.start({
      properties: { 'plugin.path': SLOW_CONNECTOR_PLUGIN, 'tasks.max.limit': '3' },
    });
    try {
      const source = { 'connector.class': 'SlowStartStopSource', 'tasks.max': '1', 'generated.tasks': '3' };
      const enforced = uniqueName('enforced');
      await plugged.createConnector(enforced, source);
      const failed = await waitFor(
        async () => {
          const s = await plugged.status(enforced);
          return s.connector.state === 'FAILED' ? s : false;
        },
        30_000,
        `${enforced} FAILED`,
      );
      assert.match(
        failed.connector.trace ?? '',
        /generated 3 tasks, which is greater than 1.*tasks\.max\.enforce/s,
      );
      assert.deepEqual(failed.tasks, []);

      const lenient = uniqueName('lenient');
      await plugged.createConnector(lenient, { ...source, 'tasks.max.enforce': 'false' });
      await plugged.waitForState(lenient, 'RUNNING', 3);

      const beyondLimit = uniqueName('beyond-limit');
      await plugged.createConnector(beyondLimit, {
        ...source,
        'tasks.max.enforce': 'false',
        'generated.tasks': '4',
      });
      const refused = await waitFor(
        async () => {
          const s = await plugged.status(beyondLimit);
          return s.connector.state === 'FAILED' ? s : false;
        },
        30_000,
        `${beyondLimit} FAILED`,
      );
      assert.match(refused.connector.trace ?? '', /generated 4 tasks.*tasks\.max\.limit, 3/s);
    } finally {
      await plugged.dispose();
    }
  });
});
