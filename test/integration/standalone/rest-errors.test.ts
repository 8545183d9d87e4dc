// Every REST error case against a real worker: the status code and Connect's body
// `{"error_code": <status>, "message": "..."}` naming what is wrong.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { deleteTopics } from '../../support/kafka-test-client.js';
import { uniqueName, WorkerProcess, type RestReply } from '../../support/worker-process.js';

interface ErrorBody {
  error_code: number;
  message: string;
}

function assertError(reply: RestReply<ErrorBody>, status: number, message?: RegExp): void {
  assert.equal(reply.status, status, `${reply.status}: ${reply.text}`);
  assert.deepEqual(Object.keys(reply.body).sort(), ['error_code', 'message']);
  assert.equal(reply.body.error_code, status);
  assert.equal(typeof reply.body.message, 'string');
  if (message) assert.match(reply.body.message, message);
}

describe('REST error cases', { timeout: 120_000 }, () => {
  let worker: WorkerProcess;
  const topic = uniqueName('it-errors');
  const existing = uniqueName('errors-sink');
  const missing = uniqueName('no-such-connector');
  let sinkConfig: Record<string, string>;

  before(async () => {
    worker = await WorkerProcess.start();
    sinkConfig = { 'connector.class': 'FileStreamSink', topics: topic, file: join(worker.dir, 'out.txt') };
    await worker.createConnector(existing, sinkConfig);
    await worker.waitForState(existing, 'RUNNING', 1);
  });
  after(async () => {
    await worker?.dispose();
    await deleteTopics([topic]);
  });

  test('unknown connector: 404 on every connector endpoint', async () => {
    const calls: [string, string, unknown?][] = [
      ['GET', `/connectors/${missing}`],
      ['GET', `/connectors/${missing}/config`],
      ['GET', `/connectors/${missing}/status`],
      ['GET', `/connectors/${missing}/tasks`],
      ['GET', `/connectors/${missing}/topics`],
      ['GET', `/connectors/${missing}/offsets`],
      ['PUT', `/connectors/${missing}/pause`],
      ['PUT', `/connectors/${missing}/resume`],
      ['PUT', `/connectors/${missing}/stop`],
      ['POST', `/connectors/${missing}/restart`],
      ['POST', `/connectors/${missing}/tasks/0/restart`],
      ['DELETE', `/connectors/${missing}`],
      ['DELETE', `/connectors/${missing}/offsets`],
      ['PATCH', `/connectors/${missing}/config`, { 'tasks.max': '2' }],
    ];
    for (const [method, path, body] of calls) {
      const reply = await worker.rest<ErrorBody>(method, path, body);
      assertError(reply, 404, new RegExp(missing));
    }
  });

  test('unknown task: 404', async () => {
    assertError(await worker.rest<ErrorBody>('GET', `/connectors/${existing}/tasks/7/status`), 404);
    assertError(await worker.rest<ErrorBody>('POST', `/connectors/${existing}/tasks/7/restart`), 404);
  });

  test('duplicate name: 409', async () => {
    assertError(
      await worker.rest<ErrorBody>('POST', '/connectors', { name: existing, config: sinkConfig }),
      409,
      new RegExp(`${existing}.*already exists`),
    );
  });

  test('invalid configs: 400 naming the key, and nothing is created', async () => {
    const name = uniqueName('invalid');
    const noTopics = await worker.rest<ErrorBody>('POST', '/connectors', {
      name,
      config: { 'connector.class': 'FileStreamSink', file: join(worker.dir, 'x.txt') },
    });
    assertError(noTopics, 400, /topics/);

    assertError(
      await worker.rest<ErrorBody>('POST', '/connectors', {
        name,
        config: { 'connector.class': 'NoSuchConnector', topics: topic },
      }),
      400,
      /connector\.class.*NoSuchConnector|NoSuchConnector.*connector\.class/s,
    );
    assertError(
      await worker.rest<ErrorBody>('POST', '/connectors', {
        name,
        config: { ...sinkConfig, 'tasks.max': 'abc' },
      }),
      400,
      /tasks\.max/,
    );
    assertError(
      await worker.rest<ErrorBody>('PUT', `/connectors/${name}/config`, { topics: topic }),
      400,
      /connector\.class/,
    );
    assertError(
      await worker.rest<ErrorBody>('PATCH', `/connectors/${existing}/config`, { 'tasks.max': '-1' }),
      400,
      /tasks\.max/,
    );

    const list = await worker.rest<string[]>('GET', '/connectors');
    assert.deepEqual(list.body, [existing]);
    const config = await worker.rest<Record<string, string>>('GET', `/connectors/${existing}/config`);
    assert.equal(config.body['tasks.max'], undefined, 'a rejected PATCH changed the stored config');
  });

  test('altering offsets of a connector that is not stopped: 400', async () => {
    const reply = await worker.rest<ErrorBody>('PATCH', `/connectors/${existing}/offsets`, {
      offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 0 } }],
    });
    assertError(
      reply,
      400,
      new RegExp(`Connectors must be in the STOPPED state.*'/connectors/${existing}/stop'`),
    );
  });

  test('malformed JSON: 400', async () => {
    assertError(await worker.rest<ErrorBody>('POST', '/connectors', '{"name": "x", "config": {'), 400);
    assertError(await worker.rest<ErrorBody>('PUT', `/connectors/${existing}/config`, '{not json}'), 400);
    assertError(await worker.rest<ErrorBody>('PATCH', `/connectors/${existing}/offsets`, '[1,'), 400);
    assertError(
      await worker.rest<ErrorBody>('PUT', '/connector-plugins/FileStreamSink/config/validate', 'nope'),
      400,
    );
    // the worker is still fine afterwards
    assert.equal((await worker.status(existing)).connector.state, 'RUNNING');
  });
});
