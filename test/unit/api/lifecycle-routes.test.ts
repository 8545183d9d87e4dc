import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorMessageOf, fileSinkConfig, restFixture } from './rest-fixture.js';

async function withConnector(name = 'c') {
  const fixture = restFixture();
  await fixture.request('POST', '/connectors', { name, config: fileSinkConfig });
  return fixture;
}

describe('status and tasks', () => {
  test('GET status answers ConnectorStateInfo', async () => {
    const { request } = await withConnector();
    const response = await request('GET', '/connectors/c/status');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      name: 'c',
      connector: { state: 'RUNNING', worker_id: 'fake-worker:8083' },
      tasks: [
        { id: 0, state: 'RUNNING', worker_id: 'fake-worker:8083' },
        { id: 1, state: 'RUNNING', worker_id: 'fake-worker:8083' },
      ],
      type: 'sink',
    });
    errorMessageOf(await request('GET', '/connectors/nope/status'), 404);
  });

  test('GET tasks answers TaskInfo[]', async () => {
    const { request } = await withConnector();
    const response = await request('GET', '/connectors/c/tasks');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json()[1], {
      id: { connector: 'c', task: 1 },
      config: { 'task.class': 'org.example.FakeTask', 'task.index': '1' },
    });
    errorMessageOf(await request('GET', '/connectors/nope/tasks'), 404);
  });

  test('GET one task status; unknown task or non-numeric task id is 404', async () => {
    const { request } = await withConnector();
    const response = await request('GET', '/connectors/c/tasks/1/status');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { id: 1, state: 'RUNNING', worker_id: 'fake-worker:8083' });
    errorMessageOf(await request('GET', '/connectors/c/tasks/7/status'), 404);
    errorMessageOf(await request('GET', '/connectors/c/tasks/one/status'), 404);
    errorMessageOf(await request('GET', '/connectors/nope/tasks/0/status'), 404);
  });

  test('POST task restart answers 204; unknown task 404', async () => {
    const { request, herder } = await withConnector();
    const response = await request('POST', '/connectors/c/tasks/0/restart');
    assert.equal(response.statusCode, 204);
    assert.equal(response.body, '');
    assert.ok(herder.calls.includes('restartTask c/0'));
    errorMessageOf(await request('POST', '/connectors/c/tasks/9/restart'), 404);
  });
});

describe('POST /connectors/{c}/restart', () => {
  test('without includeTasks/onlyFailed: 204 and no body', async () => {
    const { request, herder } = await withConnector();
    const response = await request('POST', '/connectors/c/restart');
    assert.equal(response.statusCode, 204);
    assert.equal(response.body, '');
    assert.ok(herder.calls.includes('restartConnector c includeTasks=false onlyFailed=false'));
    assert.equal(
      (await request('POST', '/connectors/c/restart?includeTasks=false&onlyFailed=false')).statusCode,
      204,
    );
  });

  test('includeTasks=true: 202 with the status body', async () => {
    const { request, herder } = await withConnector();
    const response = await request('POST', '/connectors/c/restart?includeTasks=true');
    assert.equal(response.statusCode, 202);
    assert.equal(response.json().connector.state, 'RESTARTING');
    assert.deepEqual(
      response.json().tasks.map((task: { state: string }) => task.state),
      ['RESTARTING', 'RESTARTING'],
    );
    assert.ok(herder.calls.includes('restartConnector c includeTasks=true onlyFailed=false'));
  });

  test('onlyFailed=true alone: 202, passed through to the herder', async () => {
    const { request, herder } = await withConnector();
    herder.connectorsByName.get('c')?.failedTasks.add(1);
    const response = await request('POST', '/connectors/c/restart?includeTasks=TRUE&onlyFailed=true');
    assert.equal(response.statusCode, 202);
    assert.deepEqual(
      response.json().tasks.map((task: { state: string }) => task.state),
      ['RUNNING', 'RESTARTING'],
    );
    assert.equal((await request('POST', '/connectors/c/restart?onlyFailed=true')).statusCode, 202);
    assert.ok(herder.calls.includes('restartConnector c includeTasks=false onlyFailed=true'));
  });

  test('unknown connector: 404', async () => {
    const { request } = restFixture();
    errorMessageOf(await request('POST', '/connectors/nope/restart'), 404);
    errorMessageOf(await request('POST', '/connectors/nope/restart?includeTasks=true'), 404);
  });
});

describe('pause, resume, stop', () => {
  test('pause 202, resume 202, stop 204, with the state following', async () => {
    const { request } = await withConnector();
    const paused = await request('PUT', '/connectors/c/pause');
    assert.equal(paused.statusCode, 202);
    assert.equal(paused.body, '');
    assert.equal((await request('GET', '/connectors/c/status')).json().connector.state, 'PAUSED');
    assert.equal((await request('PUT', '/connectors/c/resume')).statusCode, 202);
    assert.equal((await request('GET', '/connectors/c/status')).json().connector.state, 'RUNNING');
    const stopped = await request('PUT', '/connectors/c/stop');
    assert.equal(stopped.statusCode, 204);
    assert.equal((await request('GET', '/connectors/c/status')).json().connector.state, 'STOPPED');
  });

  test('an empty body sent with a JSON content type is accepted', async () => {
    const { app } = await withConnector();
    const response = await app.inject({
      method: 'PUT',
      url: '/connectors/c/pause',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    assert.equal(response.statusCode, 202);
  });

  test('unknown connector: 404 for each', async () => {
    const { request } = restFixture();
    for (const action of ['pause', 'resume', 'stop'])
      errorMessageOf(await request('PUT', `/connectors/nope/${action}`), 404);
  });
});

describe('topics', () => {
  test('GET topics answers {name: {topics}}; PUT reset answers 202', async () => {
    const { request, herder } = await withConnector();
    const connector = herder.connectorsByName.get('c');
    assert.ok(connector);
    connector.topics = ['orders'];
    const response = await request('GET', '/connectors/c/topics');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { c: { topics: ['orders'] } });
    assert.equal((await request('PUT', '/connectors/c/topics/reset')).statusCode, 202);
    assert.deepEqual((await request('GET', '/connectors/c/topics')).json(), { c: { topics: [] } });
    errorMessageOf(await request('GET', '/connectors/nope/topics'), 404);
    errorMessageOf(await request('PUT', '/connectors/nope/topics/reset'), 404);
  });
});

describe('offsets', () => {
  const offsets = { offsets: [{ partition: { filename: '/tmp/a' }, offset: { position: 42 } }] };

  test('GET offsets answers {offsets: [...]}', async () => {
    const { request } = await withConnector();
    const response = await request('GET', '/connectors/c/offsets');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { offsets: [] });
    errorMessageOf(await request('GET', '/connectors/nope/offsets'), 404);
  });

  test('altering or resetting offsets of a running connector is a 400 asking to stop it', async () => {
    const { request } = await withConnector();
    assert.match(
      errorMessageOf(await request('PATCH', '/connectors/c/offsets', offsets), 400),
      /STOPPED.*\/connectors\/c\/stop/,
    );
    errorMessageOf(await request('DELETE', '/connectors/c/offsets'), 400);
  });

  test('PATCH on a stopped connector: 200 with a message, offsets changed', async () => {
    const { request } = await withConnector();
    await request('PUT', '/connectors/c/stop');
    const response = await request('PATCH', '/connectors/c/offsets', offsets);
    assert.equal(response.statusCode, 200);
    assert.equal(typeof response.json().message, 'string');
    assert.deepEqual((await request('GET', '/connectors/c/offsets')).json(), offsets);
    const reset = await request('DELETE', '/connectors/c/offsets');
    assert.equal(reset.statusCode, 200);
    assert.match(reset.json().message, /reset/);
    assert.deepEqual((await request('GET', '/connectors/c/offsets')).json(), { offsets: [] });
  });

  test('a missing offset means a reset of that partition (null is passed to the herder)', async () => {
    const { request, herder } = await withConnector();
    await request('PUT', '/connectors/c/stop');
    const response = await request('PATCH', '/connectors/c/offsets', { offsets: [{ partition: { p: 1 } }] });
    assert.equal(response.statusCode, 200);
    assert.ok(herder.calls.includes('alterConnectorOffsets c'));
  });

  test('empty or malformed offsets bodies are 400s naming the problem', async () => {
    const { request } = await withConnector();
    await request('PUT', '/connectors/c/stop');
    const expected = 'Partitions / offsets need to be provided for an alter offsets request';
    assert.equal(
      errorMessageOf(await request('PATCH', '/connectors/c/offsets', { offsets: [] }), 400),
      expected,
    );
    assert.equal(errorMessageOf(await request('PATCH', '/connectors/c/offsets', {}), 400), expected);
    assert.match(
      errorMessageOf(await request('PATCH', '/connectors/c/offsets', { offsets: 'all' }), 400),
      /'offsets'/,
    );
    assert.match(
      errorMessageOf(await request('PATCH', '/connectors/c/offsets', { offsets: [{ offset: {} }] }), 400),
      /'partition'/,
    );
    assert.match(
      errorMessageOf(
        await request('PATCH', '/connectors/c/offsets', { offsets: [{ partition: {}, offset: 5 }] }),
        400,
      ),
      /'offset'/,
    );
  });
});
