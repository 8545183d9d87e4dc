import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorMessageOf, restFixture } from './rest-fixture.js';

describe('GET / and /health', () => {
  test('GET / answers the server info', async () => {
    const { request } = restFixture();
    const response = await request('GET', '/');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), {
      version: '0.1.0',
      commit: 'abc123',
      kafka_cluster_id: 'fake-cluster',
    });
  });

  test('healthy 200, starting 503, unhealthy 500 — each with {status, message}', async () => {
    const { request, herder } = restFixture();
    const healthy = await request('GET', '/health');
    assert.equal(healthy.statusCode, 200);
    assert.deepEqual(Object.keys(healthy.json()).sort(), ['message', 'status']);
    assert.equal(healthy.json().status, 'healthy');
    herder.healthInfo = { status: 'starting', message: 'Worker is still starting up.' };
    const starting = await request('GET', '/health');
    assert.equal(starting.statusCode, 503);
    assert.deepEqual(starting.json(), herder.healthInfo);
    herder.healthInfo = { status: 'unhealthy', message: 'stuck' };
    assert.equal((await request('GET', '/health')).statusCode, 500);
  });

  test('a health check the herder does not answer in time reports unhealthy', async () => {
    const { request, herder } = restFixture({ requestTimeoutMs: 30 });
    herder.hang = new Promise(() => undefined);
    const response = await request('GET', '/health');
    assert.equal(response.statusCode, 500);
    assert.equal(response.json().status, 'unhealthy');
  });
});

describe('connector plugins', () => {
  test('GET /connector-plugins lists connectors only by default, everything with connectorsOnly=false', async () => {
    const { request } = restFixture();
    const connectors = await request('GET', '/connector-plugins');
    assert.equal(connectors.statusCode, 200);
    assert.deepEqual(
      connectors.json().map((plugin: { type: string }) => plugin.type),
      ['sink', 'source'],
    );
    assert.equal((await request('GET', '/connector-plugins?connectorsOnly=true')).json().length, 2);
    const all = (await request('GET', '/connector-plugins?connectorsOnly=false')).json();
    assert.deepEqual(
      all.map((plugin: { type: string }) => plugin.type),
      ['sink', 'source', 'transformation'],
    );
    assert.deepEqual(Object.keys(all[0]).sort(), ['class', 'type', 'version']);
  });

  test('GET plugin config answers ConfigKeyInfo[]; unknown plugin 404', async () => {
    const { request } = restFixture();
    const response = await request('GET', '/connector-plugins/FileStreamSinkConnector/config');
    assert.equal(response.statusCode, 200);
    assert.equal(response.json()[0].name, 'file');
    assert.equal(response.json()[0].required, true);
    errorMessageOf(await request('GET', '/connector-plugins/Nope/config'), 404);
  });

  test('PUT validate answers ConfigInfos with per-key errors', async () => {
    const { request } = restFixture();
    const response = await request('PUT', '/connector-plugins/FileStreamSinkConnector/config/validate', {
      'connector.class': 'org.example.FileStreamSinkConnector',
      topics: 'orders',
      'tasks.max': 1,
    });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.name, 'org.example.FileStreamSinkConnector');
    assert.equal(body.error_count, 1);
    assert.deepEqual(body.groups, ['Common']);
    const file = body.configs.find((entry: { value: { name: string } }) => entry.value.name === 'file');
    assert.match(file.value.errors[0], /"file"/);
    assert.equal(file.definition.name, 'file');
  });

  test('validate accepts the alias form of the class name, as Connect does', async () => {
    const { request } = restFixture();
    const response = await request('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      'connector.class': 'org.example.FileStreamSinkConnector',
      file: '/tmp/x',
    });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json().error_count, 0);
  });

  test('validate: a connector.class that disagrees with the path is a 400; wrong types 400 naming the key; unknown plugin 404', async () => {
    const { request } = restFixture();
    const message = errorMessageOf(
      await request('PUT', '/connector-plugins/FileStreamSinkConnector/config/validate', {
        'connector.class': 'org.example.FileStreamSourceConnector',
      }),
      400,
    );
    assert.equal(
      message,
      'Included connector type org.example.FileStreamSourceConnector does not match request type FileStreamSinkConnector',
    );
    assert.match(
      errorMessageOf(
        await request('PUT', '/connector-plugins/FileStreamSinkConnector/config/validate', { file: {} }),
        400,
      ),
      /'file'/,
    );
    errorMessageOf(await request('PUT', '/connector-plugins/Nope/config/validate', {}), 404);
  });
});

describe('admin loggers', () => {
  test('GET /admin/loggers and /admin/loggers/{name}; unknown logger 404', async () => {
    const { request } = restFixture();
    const all = await request('GET', '/admin/loggers');
    assert.equal(all.statusCode, 200);
    assert.deepEqual(all.json(), { root: { level: 'INFO', last_modified: null } });
    const root = await request('GET', '/admin/loggers/root');
    assert.equal(root.statusCode, 200);
    assert.deepEqual(root.json(), { level: 'INFO', last_modified: null });
    assert.equal(
      errorMessageOf(await request('GET', '/admin/loggers/org.nope'), 404),
      'Logger org.nope not found.',
    );
  });

  test('PUT level: worker scope 200 with the changed logger names, cluster scope 204', async () => {
    const { request } = restFixture();
    const worker = await request('PUT', '/admin/loggers/org.example', { level: 'debug' });
    assert.equal(worker.statusCode, 200);
    assert.deepEqual(worker.json(), ['org.example']);
    assert.equal((await request('GET', '/admin/loggers/org.example')).json().level, 'DEBUG');
    assert.equal(
      (await request('PUT', '/admin/loggers/org.example?scope=worker', { level: 'INFO' })).statusCode,
      200,
    );
    const cluster = await request('PUT', '/admin/loggers/org.example?scope=cluster', { level: 'WARN' });
    assert.equal(cluster.statusCode, 204);
    assert.equal((await request('GET', '/admin/loggers/org.example')).json().level, 'WARN');
  });

  test('PUT level errors: missing level 400, unknown level 404 (as Connect), wrong type 400 naming the key', async () => {
    const { request } = restFixture();
    assert.equal(
      errorMessageOf(await request('PUT', '/admin/loggers/root', {}), 400),
      "Desired 'level' parameter was not specified in request.",
    );
    assert.equal(
      errorMessageOf(await request('PUT', '/admin/loggers/root', { level: 'LOUD' }), 404),
      "invalid log level 'LOUD'.",
    );
    assert.match(errorMessageOf(await request('PUT', '/admin/loggers/root', { level: 3 }), 400), /'level'/);
  });
});
