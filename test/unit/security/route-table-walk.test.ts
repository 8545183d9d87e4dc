// Every route the REST server registers, read from fastify's own route tree (not from the route table
// the OpenAPI document is built from), so a route added anywhere cannot escape the security tests: it
// must be in the OpenAPI document (which test/integration/security/rest-tenants.test.ts walks with real
// workers) or be one of the console's static routes named here, and without credentials it gets 401,
// except the documented public routes: GET /health and the console's static files (which hold no data;
// docs/security.md).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createRestServer } from '../../../api/index.js';
import type { Logger } from '../../../runtime/api/logger.js';
import { createRestSecurity } from '../../../runtime/security/index.js';
import { hashPassword } from '../../../runtime/security/password-hash.js';
import { FakeHerder } from '../api/fake-herder.js';

/** Routes outside the OpenAPI document: the web console's static files (docs/console.md). */
const CONSOLE_ROUTES = new Set(['GET /ui', 'GET /ui/*']);
const PUBLIC_ROUTES = new Set(['GET /health', ...CONSOLE_ROUTES]);

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * `METHOD /path` of every route in fastify's printed route tree (HEAD, which fastify adds to each GET,
 * left out). Each line is a node: its indentation gives its depth, its text the path piece it adds.
 */
function registeredRoutes(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([\s│├└─]*)(\S.*?) \(([A-Z, ]+)\)$/.exec(line);
    if (match === null) continue;
    const depth = match[1]!.length / 4;
    const piece = match[2]!;
    stack.length = depth;
    const parent = stack[depth - 1] ?? '';
    const path =
      depth === 0 ? piece : `${parent}${parent.endsWith('/') || piece.startsWith('/') ? '' : '/'}${piece}`;
    stack.push(path);
    for (const method of match[3]!.split(', '))
      if (method !== 'HEAD') routes.push(`${method} ${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
  }
  return routes;
}

describe('the REST route table walk', () => {
  let dir = '';
  let app: FastifyInstance;
  let routes: string[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'route-walk-'));
    const users = join(dir, 'users');
    await writeFile(users, `root:${hashPassword('root-pw')}\n`);
    const security = createRestSecurity(
      { 'rest.auth': 'basic', 'rest.auth.basic.users.file': users },
      { logger: () => silent, clientCertificates: false },
    );
    app = createRestServer(new FakeHerder(), { security });
    await app.ready();
    routes = registeredRoutes(app);
  });

  after(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  test('fastify’s route tree is read whole', () => {
    for (const known of ['GET /', 'GET /health', 'POST /connectors', 'PUT /connectors/{connector}/config'])
      assert.ok(routes.includes(known), `${known} missing from ${routes.join(', ')}`);
    assert.ok(routes.length > 30, routes.join(', '));
  });

  test('every registered route is in the OpenAPI document or is a console route', async () => {
    const reply = await app.inject({
      method: 'GET',
      url: '/openapi.json',
      headers: { authorization: `Basic ${Buffer.from('root:root-pw').toString('base64')}` },
    });
    assert.equal(reply.statusCode, 200, reply.body);
    const doc = reply.json() as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, methods]) =>
        Object.keys(methods).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const undocumented = routes.filter((r) => !documented.has(r) && !CONSOLE_ROUTES.has(r));
    assert.deepEqual(
      undocumented,
      [],
      'add these routes to api/route-table.ts (so the OpenAPI document and the security walk see them)',
    );
  });

  test('without credentials every registered route but the public ones answers 401', async () => {
    for (const route of routes) {
      const [method, template] = route.split(' ') as [string, string];
      const url = template.replace(/\{[^}]+\}/g, 'x').replace(/\*$/, 'index.html');
      const reply = await app.inject({
        method: method as 'GET',
        url,
        ...(method === 'GET' ? {} : { payload: '{}', headers: { 'content-type': 'application/json' } }),
      });
      if (PUBLIC_ROUTES.has(route)) assert.notEqual(reply.statusCode, 401, route);
      else assert.equal(reply.statusCode, 401, `${route}: ${reply.statusCode} ${reply.body}`);
    }
  });
});
