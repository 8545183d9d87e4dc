import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorMessageOf, fileSinkConfig, restFixture } from './rest-fixture.js';

describe('POST /connectors', () => {
  test('creates a connector: 201, ConnectorInfo, Location header, name put into the config', async () => {
    const { request } = restFixture();
    const response = await request('POST', '/connectors', { name: 'orders-sink', config: fileSinkConfig });
    assert.equal(response.statusCode, 201);
    assert.equal(response.headers['location'], '/connectors/orders-sink');
    assert.deepEqual(response.json(), {
      name: 'orders-sink',
      config: { ...fileSinkConfig, name: 'orders-sink' },
      tasks: [
        { connector: 'orders-sink', task: 0 },
        { connector: 'orders-sink', task: 1 },
      ],
      type: 'sink',
    });
  });

  test('trims the name and passes initial_state (any case) as the target state', async () => {
    const { request, herder } = restFixture();
    const response = await request('POST', '/connectors', {
      name: '  paused-one ',
      config: fileSinkConfig,
      initial_state: 'paused',
    });
    assert.equal(response.statusCode, 201);
    assert.equal(response.json().name, 'paused-one');
    assert.ok(herder.calls.includes('putConnectorConfig paused-one allowReplace=false initialState=PAUSED'));
    const running = await request('POST', '/connectors', {
      name: 'running',
      config: fileSinkConfig,
      initial_state: 'RUNNING',
    });
    assert.equal(running.statusCode, 201);
    assert.ok(herder.calls.includes('putConnectorConfig running allowReplace=false initialState=STARTED'));
  });

  test('an unknown initial_state is a 400 naming the field', async () => {
    const { request } = restFixture();
    const message = errorMessageOf(
      await request('POST', '/connectors', { name: 'x', config: fileSinkConfig, initial_state: 'sleeping' }),
      400,
    );
    assert.match(message, /initial_state/);
  });

  test('numbers and booleans in the config are accepted as strings, as Connect does', async () => {
    const { request } = restFixture();
    const response = await request('POST', '/connectors', {
      name: 'n',
      config: { ...fileSinkConfig, 'tasks.max': 3, 'errors.log.enable': true },
    });
    assert.equal(response.statusCode, 201);
    assert.equal(response.json().config['tasks.max'], '3');
    assert.equal(response.json().config['errors.log.enable'], 'true');
  });

  test('a config name that differs from the body name is a 400', async () => {
    const { request } = restFixture();
    const message = errorMessageOf(
      await request('POST', '/connectors', { name: 'a', config: { ...fileSinkConfig, name: 'b' } }),
      400,
    );
    assert.equal(message, "Connector name configuration (b) doesn't match connector name in the URL (a)");
  });

  test('a duplicate name is a 409', async () => {
    const { request } = restFixture();
    await request('POST', '/connectors', { name: 'dup', config: fileSinkConfig });
    const message = errorMessageOf(
      await request('POST', '/connectors', { name: 'dup', config: fileSinkConfig }),
      409,
    );
    assert.match(message, /dup already exists/);
  });

  test('an invalid config is a 400 with the herder message naming the key', async () => {
    const { request } = restFixture();
    const message = errorMessageOf(
      await request('POST', '/connectors', { name: 'bad', config: { topics: 't' } }),
      400,
    );
    assert.match(message, /connector\.class/);
  });

  test('missing config, or a config value of the wrong type, is a 400 naming the key', async () => {
    const { request } = restFixture();
    assert.match(errorMessageOf(await request('POST', '/connectors', { name: 'x' }), 400), /'config'/);
    assert.match(
      errorMessageOf(
        await request('POST', '/connectors', {
          name: 'x',
          config: { ...fileSinkConfig, 'tasks.max': { n: 1 } },
        }),
        400,
      ),
      /'tasks\.max'/,
    );
    assert.match(
      errorMessageOf(await request('POST', '/connectors', { name: 'x', config: { topics: ['a'] } }), 400),
      /'topics'/,
    );
    assert.match(
      errorMessageOf(await request('POST', '/connectors', { name: 7, config: fileSinkConfig }), 400),
      /'name'/,
    );
    assert.match(
      errorMessageOf(await request('POST', '/connectors', [1, 2]), 400),
      /request body must be object/,
    );
  });
});

describe('GET /connectors', () => {
  test('lists names', async () => {
    const { request } = restFixture();
    assert.deepEqual((await request('GET', '/connectors')).json(), []);
    await request('POST', '/connectors', { name: 'a', config: fileSinkConfig });
    await request('POST', '/connectors', { name: 'b', config: fileSinkConfig });
    const response = await request('GET', '/connectors');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), ['a', 'b']);
    assert.deepEqual((await request('GET', '/connectors/')).json(), ['a', 'b']);
  });

  test('?expand=status and ?expand=info give an object keyed by connector name', async () => {
    const { request } = restFixture();
    await request('POST', '/connectors', { name: 'a', config: fileSinkConfig });
    const statusOnly = (await request('GET', '/connectors?expand=status')).json();
    assert.deepEqual(Object.keys(statusOnly), ['a']);
    assert.deepEqual(Object.keys(statusOnly.a), ['status']);
    assert.equal(statusOnly.a.status.connector.state, 'RUNNING');

    const both = (await request('GET', '/connectors?expand=status&expand=info')).json();
    assert.deepEqual(Object.keys(both.a).sort(), ['info', 'status']);
    assert.equal(both.a.info.name, 'a');
    assert.equal(both.a.info.config['connector.class'], fileSinkConfig['connector.class']);

    const commaList = (await request('GET', '/connectors?expand=status,info')).json();
    assert.deepEqual(commaList, both);
  });

  test('unknown expansions are ignored, leaving an empty object per connector', async () => {
    const { request } = restFixture();
    await request('POST', '/connectors', { name: 'a', config: fileSinkConfig });
    assert.deepEqual((await request('GET', '/connectors?expand=bogus')).json(), { a: {} });
  });
});

describe('one connector', () => {
  test('GET info and config; unknown connector is 404', async () => {
    const { request } = restFixture();
    await request('POST', '/connectors', { name: 'c', config: fileSinkConfig });
    const info = await request('GET', '/connectors/c');
    assert.equal(info.statusCode, 200);
    assert.equal(info.json().name, 'c');
    const config = await request('GET', '/connectors/c/config');
    assert.equal(config.statusCode, 200);
    assert.deepEqual(config.json(), { ...fileSinkConfig, name: 'c' });
    assert.equal(
      errorMessageOf(await request('GET', '/connectors/missing'), 404),
      'Connector missing not found',
    );
    errorMessageOf(await request('GET', '/connectors/missing/config'), 404);
  });

  test('DELETE answers 204 and the connector is gone; deleting again is 404', async () => {
    const { request } = restFixture();
    await request('POST', '/connectors', { name: 'c', config: fileSinkConfig });
    const response = await request('DELETE', '/connectors/c');
    assert.equal(response.statusCode, 204);
    assert.equal(response.body, '');
    errorMessageOf(await request('GET', '/connectors/c'), 404);
    errorMessageOf(await request('DELETE', '/connectors/c'), 404);
  });

  test('PUT config creates (201 + Location) then updates (200)', async () => {
    const { request, herder } = restFixture();
    const created = await request('PUT', '/connectors/p/config', fileSinkConfig);
    assert.equal(created.statusCode, 201);
    assert.equal(created.headers['location'], '/connectors/p');
    assert.equal(created.json().config.name, 'p');
    const updated = await request('PUT', '/connectors/p/config', {
      ...fileSinkConfig,
      'tasks.max': '1',
      name: 'p',
    });
    assert.equal(updated.statusCode, 200);
    assert.equal(updated.json().tasks.length, 1);
    assert.ok(herder.calls.includes('putConnectorConfig p allowReplace=true initialState=-'));
  });

  test('PUT config with a different name in the body is a 400; wrong value type is a 400 naming the key', async () => {
    const { request } = restFixture();
    const message = errorMessageOf(
      await request('PUT', '/connectors/p/config', { ...fileSinkConfig, name: 'q' }),
      400,
    );
    assert.equal(message, "Connector name configuration (q) doesn't match connector name in the URL (p)");
    assert.match(
      errorMessageOf(await request('PUT', '/connectors/p/config', { ...fileSinkConfig, topics: null }), 400),
      /'topics'/,
    );
    assert.match(
      errorMessageOf(await request('PUT', '/connectors/p/config', 'just a string'), 400),
      /must be object/,
    );
  });

  test('PUT config rejected by the herder is a 400 naming the key', async () => {
    const { request } = restFixture();
    const message = errorMessageOf(
      await request('PUT', '/connectors/p/config', { ...fileSinkConfig, 'tasks.max': 'many' }),
      400,
    );
    assert.match(message, /tasks\.max/);
  });

  test('PATCH config merges, null removes a key; 200 with ConnectorInfo', async () => {
    const { request } = restFixture();
    await request('POST', '/connectors', { name: 'c', config: { ...fileSinkConfig, 'extra.key': 'x' } });
    const response = await request('PATCH', '/connectors/c/config', {
      'tasks.max': 1,
      'extra.key': null,
      'new.key': 'n',
    });
    assert.equal(response.statusCode, 200);
    const config = response.json().config;
    assert.equal(config['tasks.max'], '1');
    assert.equal(config['new.key'], 'n');
    assert.equal('extra.key' in config, false);
  });

  test('PATCH config errors: unknown connector 404, renaming 400, bad value type 400 naming the key', async () => {
    const { request } = restFixture();
    errorMessageOf(await request('PATCH', '/connectors/nope/config', { a: 'b' }), 404);
    await request('POST', '/connectors', { name: 'c', config: fileSinkConfig });
    errorMessageOf(await request('PATCH', '/connectors/c/config', { name: 'other' }), 400);
    assert.match(
      errorMessageOf(await request('PATCH', '/connectors/c/config', { topics: [1] }), 400),
      /'topics'/,
    );
  });

  test('names with slashes and other URL-encoded characters round-trip', async () => {
    const { request } = restFixture();
    const name = 'team/a b?c%d#ሴ';
    const created = await request('POST', '/connectors', { name, config: fileSinkConfig });
    assert.equal(created.statusCode, 201);
    assert.equal(created.headers['location'], `/connectors/${encodeURIComponent(name)}`);
    const info = await request('GET', `/connectors/${encodeURIComponent(name)}`);
    assert.equal(info.statusCode, 200);
    assert.equal(info.json().name, name);
    const status = await request('GET', `/connectors/${encodeURIComponent(name)}/status`);
    assert.equal(status.json().name, name);
    // An unencoded slash is a different path, as in Connect.
    errorMessageOf(await request('GET', '/connectors/team/a'), 404);
  });
});
