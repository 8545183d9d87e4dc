import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { errorMessageOf, fileSinkConfig, restFixture } from './rest-fixture.js';

describe('request bodies', () => {
  test('malformed JSON is a 400 in Connect error shape, never fastify’s', async () => {
    const { app } = restFixture();
    const response = await app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x", "config": {',
    });
    assert.match(errorMessageOf(response, 400), /^Request body is not valid JSON/);
    assert.equal('statusCode' in response.json(), false);
  });

  test('a __proto__ key is refused as malformed JSON', async () => {
    const { app } = restFixture();
    const response = await app.inject({
      method: 'PUT',
      url: '/connectors/x/config',
      headers: { 'content-type': 'application/json' },
      payload: '{"connector.class": "a", "__proto__": {"polluted": "yes"}}',
    });
    assert.match(errorMessageOf(response, 400), /__proto__/);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });

  test('a JSON content type with charset is accepted', async () => {
    const { app } = restFixture();
    const response = await app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: JSON.stringify({ name: 'x', config: fileSinkConfig }),
    });
    assert.equal(response.statusCode, 201);
  });

  test('a non-JSON media type is a 415 in Connect error shape', async () => {
    const { app } = restFixture();
    const response = await app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=x',
    });
    errorMessageOf(response, 415);
  });

  test('a body-taking route called with no body is a 400', async () => {
    const { request } = restFixture();
    assert.match(errorMessageOf(await request('POST', '/connectors'), 400), /request body must be object/);
  });
});

describe('error mapping', () => {
  test('an unknown route is a 404 in Connect error shape', async () => {
    const { request } = restFixture();
    assert.equal(errorMessageOf(await request('GET', '/no/such/thing'), 404), 'HTTP 404 Not Found');
  });

  test('a known path with another method is a 405 naming the allowed methods, as Connect answers', async () => {
    const { app } = restFixture();
    const response = await app.inject({ method: 'DELETE', url: '/connectors' });
    assert.equal(errorMessageOf(response, 405), 'HTTP 405 Method Not Allowed');
    assert.equal(response.headers['allow'], 'GET, POST');
    const onConnector = await app.inject({ method: 'POST', url: '/connectors/some-name/status' });
    assert.equal(errorMessageOf(onConnector, 405), 'HTTP 405 Method Not Allowed');
    assert.equal(onConnector.headers['allow'], 'GET');
  });

  test('a SluiceError answers with its own status and message', async () => {
    const { request, herder } = restFixture();
    herder.failWith = new SluiceError('REBALANCE_IN_PROGRESS', ['a rebalance is under way']);
    assert.equal(
      errorMessageOf(await request('GET', '/connectors'), 409),
      'Cannot complete request: a rebalance is under way',
    );
  });

  test('any other error is a 500 carrying its message', async () => {
    const { request, herder } = restFixture();
    herder.failWith = new Error('disk on fire');
    assert.equal(errorMessageOf(await request('GET', '/connectors'), 500), 'disk on fire');
  });

  test('a synchronous herder failure is mapped too', async () => {
    const { request, herder } = restFixture();
    herder.logger = () => {
      throw new TypeError('logger registry broken');
    };
    assert.equal(errorMessageOf(await request('GET', '/admin/loggers/root'), 500), 'logger registry broken');
  });

  test('a herder that does not answer in time gives 500 "Request timed out"', async () => {
    const { request, herder } = restFixture({ requestTimeoutMs: 30 });
    herder.hang = new Promise(() => undefined);
    assert.match(errorMessageOf(await request('GET', '/connectors/x/status'), 500), /^Request timed out/);
  });

  test('handlers do not block the server while a herder call is pending', async () => {
    const { request, herder } = restFixture();
    let release: () => void = () => undefined;
    herder.hang = new Promise((resolve) => {
      release = resolve;
    });
    const pending = request('GET', '/connectors');
    // Served while the other request still waits on the herder.
    assert.equal((await request('GET', '/')).statusCode, 200);
    release();
    assert.equal((await pending).statusCode, 200);
  });
});
