import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { registerConsole } from '../../../api/console-static.js';

describe('web console static files', () => {
  const dirs: string[] = [];
  after(async () => {
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  const built = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-ui-'));
    dirs.push(dir);
    await writeFile(join(dir, 'index.html'), '<!doctype html><script src="console.js"></script>');
    await writeFile(join(dir, 'console.js'), 'export {};');
    return dir;
  };
  // The REST server's router ignores trailing slashes, which is what makes /ui/ need its own route.
  const server = () => Fastify({ routerOptions: { ignoreTrailingSlash: true } });

  test('/ui/ is the page, its files are next to it, /ui redirects to /ui/', async () => {
    const app = server();
    assert.equal(registerConsole(app, await built()), true);
    const page = await app.inject('/ui/');
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /^text\/html/);
    assert.equal((await app.inject('/ui/?poll=500')).statusCode, 200);
    const script = await app.inject('/ui/console.js');
    assert.equal(script.statusCode, 200);
    assert.match(script.headers['content-type'] as string, /javascript/);
    const bare = await app.inject('/ui');
    assert.equal(bare.statusCode, 301);
    assert.equal(bare.headers['location'], 'ui/');
    assert.equal((await app.inject('/ui/missing.js')).statusCode, 404);
    await app.close();
  });

  test('without a built console nothing is served', async () => {
    const app = server();
    const empty = await mkdtemp(join(tmpdir(), 'sluice-ui-empty-'));
    dirs.push(empty);
    assert.equal(registerConsole(app, empty), false);
    assert.equal((await app.inject('/ui/')).statusCode, 404);
    await app.close();
  });
});
