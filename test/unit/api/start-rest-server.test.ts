import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseListeners, startRestServer } from '../../../api/index.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { FakeHerder } from './fake-herder.js';
import { fileSinkConfig } from './rest-fixture.js';

describe('parseListeners', () => {
  test('reads Connect listeners: several entries, empty host, IPv6, trailing slash', () => {
    assert.deepEqual(parseListeners('http://127.0.0.1:8083'), [
      { protocol: 'http', host: '127.0.0.1', port: 8083 },
    ]);
    assert.deepEqual(parseListeners('HTTP://:8083, http://[::1]:0/'), [
      { protocol: 'http', host: '', port: 8083 },
      { protocol: 'http', host: '::1', port: 0 },
    ]);
    assert.deepEqual(parseListeners('https://worker-1.example.com:8443'), [
      { protocol: 'https', host: 'worker-1.example.com', port: 8443 },
    ]);
  });

  test('rejects malformed entries naming the listeners property', () => {
    for (const bad of ['', '127.0.0.1:8083', 'ftp://host:21', 'http://host', 'http://host:99999']) {
      assert.throws(
        () => parseListeners(bad),
        (error: unknown) => error instanceof SluiceError && /listeners/.test(error.message),
        bad,
      );
    }
  });
});

describe('startRestServer', () => {
  test('binds port 0, reports the actual url and serves the API over HTTP until closed', async () => {
    const server = await startRestServer(new FakeHerder(), { listeners: 'http://127.0.0.1:0' });
    try {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(server.url, 'http://127.0.0.1:0');
      const created = await fetch(`${server.url}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'a/b', config: fileSinkConfig }),
      });
      assert.equal(created.status, 201);
      const status = await fetch(`${server.url}/connectors/a%2Fb/status`);
      assert.equal(status.status, 200);
      assert.equal(((await status.json()) as { name: string }).name, 'a/b');
      const malformed = await fetch(`${server.url}/connectors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{',
      });
      assert.equal(malformed.status, 400);
      assert.equal(((await malformed.json()) as { error_code: number }).error_code, 400);
    } finally {
      await server.close();
    }
    await assert.rejects(fetch(`${server.url}/`));
  });

  test('serves every listener when several are configured', async () => {
    const server = await startRestServer(new FakeHerder(), {
      listeners: 'http://127.0.0.1:0,http://127.0.0.1:0',
    });
    try {
      assert.equal(server.urls.length, 2);
      assert.notEqual(server.urls[0], server.urls[1]);
      for (const url of server.urls) assert.equal((await fetch(`${url}/`)).status, 200);
    } finally {
      await server.close();
    }
  });

  test('an https listener without a key and certificate is refused with a clear error', async () => {
    await assert.rejects(
      startRestServer(new FakeHerder(), { listeners: 'https://127.0.0.1:0' }),
      /needs listeners.https.ssl.keystore/,
    );
  });
});
