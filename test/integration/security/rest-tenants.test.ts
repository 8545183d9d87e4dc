// One standalone worker on https with basic authentication and two tenants: every route of the OpenAPI
// document answers 401 without credentials and 403 across tenants, a viewer cannot change anything, a
// tenant's limits hold, /metrics and lists show only the tenant's connectors, and writes are audited.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { deleteTopics } from '../../support/kafka-test-client.js';
import { basicAuth, type HttpsClient } from '../../support/https-rest.js';
import { TestCa } from '../../support/rest-certificates.js';
import {
  freePort,
  makeTempDir,
  removeTempDir,
  uniqueName,
  waitFor,
  writeProperties,
} from '../../support/worker-process.js';
import { hashPassword } from '../../../runtime/security/password-hash.js';
import { HttpsWorker } from './https-worker.js';

const DATAGEN = 'sluice.connect.datagen.DatagenSourceConnector';
/** A literal secret in a connector config: no GET answer and no log line may show it. */
const SECRET = 'hunter2-literal-secret';
const PASSWORDS = { root: 'root-pw', alice: 'alice-pw', bob: 'bob-pw', victor: 'victor-pw' } as const;

interface OpenApi {
  readonly paths: Record<string, Record<string, unknown>>;
}

describe('REST security: https, basic auth, tenants and roles', { timeout: 120_000 }, () => {
  const run = uniqueName('ten').replace(/[^A-Za-z0-9]/g, '');
  const tenantA = `${run}a`;
  const tenantB = `${run}b`;
  const connectorA = `${tenantA}.gen`;
  const topicA = `${tenantA}.numbers`;
  let dir = '';
  let tenantsFile = '';
  let worker: HttpsWorker;
  const as = (user: keyof typeof PASSWORDS | null): HttpsClient => ({
    ca: join(dir, 'test-ca.pem'),
    ...(user === null ? {} : { authorization: basicAuth(user, PASSWORDS[user]) }),
  });
  const tenants = (aliceRole: string) => ({
    principals: {
      root: { role: 'admin' },
      alice: { tenant: tenantA, role: aliceRole },
      bob: { tenant: tenantB, role: 'operator' },
      victor: { tenant: tenantA, role: 'viewer' },
    },
    tenants: {
      [tenantA]: { plugins: ['DatagenSource', 'FileStreamSource'], maxConnectors: 2, maxTasks: 2 },
      [tenantB]: { plugins: ['DatagenSourceConnector'] },
    },
  });
  /** Every route of the published document, with its path parameters filled in. */
  let routes: { method: string; path: string; template: string }[] = [];

  before(async () => {
    dir = await makeTempDir('rest-tenants');
    const ca = await TestCa.create(dir);
    const server = await ca.issue('worker', '/CN=127.0.0.1');
    const users = join(dir, 'users');
    await writeFile(
      users,
      Object.entries(PASSWORDS)
        .map(([user, password]) => `${user}:${hashPassword(password)}`)
        .join('\n') + '\n',
    );
    tenantsFile = join(dir, 'tenants.json');
    await writeFile(tenantsFile, JSON.stringify(tenants('operator')));
    const port = await freePort();
    const workerFile = await writeProperties(join(dir, 'worker.properties'), {
      'bootstrap.servers': KAFKA_BOOTSTRAP,
      listeners: `https://127.0.0.1:${port}`,
      'listeners.https.ssl.keystore.type': 'PEM',
      'listeners.https.ssl.keystore.location': server.keystore,
      'offset.storage.file.filename': join(dir, 'offsets.json'),
      'offset.flush.interval.ms': '1000',
      'rest.auth': 'basic',
      'rest.auth.basic.users.file': users,
      'tenants.file': tenantsFile,
    });
    worker = new HttpsWorker('standalone', port, workerFile, { ca: ca.certFile });
    await worker.start();
    const doc = await worker.rest<OpenApi>(as('root'), 'GET', '/openapi.json');
    assert.equal(doc.status, 200, doc.text);
    const fill: Record<string, string> = {
      connector: encodeURIComponent(connectorA),
      task: '0',
      plugin: 'DatagenSourceConnector',
      logger: 'root',
    };
    routes = Object.entries(doc.body.paths).flatMap(([template, methods]) =>
      Object.keys(methods).map((method) => ({
        method: method.toUpperCase(),
        template,
        path: template.replace(/\{([^}]+)\}/g, (_m, name: string) => fill[name] ?? 'x'),
      })),
    );
    assert.ok(routes.length > 20, `the OpenAPI document lists ${routes.length} routes`);
  });

  after(async () => {
    await worker?.dispose();
    await deleteTopics([topicA]).catch(() => undefined);
    await removeTempDir(dir);
  });

  test('every route but /health answers 401 in Connect’s error shape without credentials or with a wrong password', async () => {
    for (const [index, route] of routes.entries()) {
      const body = route.method === 'GET' ? undefined : {};
      const replies = [await worker.rest(as(null), route.method, route.path, body)];
      // A wrong password costs a full scrypt check each time: a few routes show it is refused alike.
      if (index < 4)
        replies.push(
          await worker.rest(
            { ca: as(null).ca, authorization: basicAuth('alice', 'wrong') },
            route.method,
            route.path,
            body,
          ),
        );
      for (const reply of replies) {
        if (route.template === '/health') {
          assert.equal(reply.status, 200, `${route.method} ${route.path}`);
          continue;
        }
        assert.equal(reply.status, 401, `${route.method} ${route.path}: ${reply.text}`);
        assert.deepEqual(Object.keys(reply.body as object).sort(), ['error_code', 'message']);
        assert.equal((reply.body as { error_code: number }).error_code, 401);
      }
    }
  });

  test('an operator creates in its namespace; the other tenant gets 403 on every route of that connector and does not see it', async () => {
    const created = await worker.rest(as('alice'), 'POST', '/connectors', {
      name: connectorA,
      config: {
        'connector.class': DATAGEN,
        'kafka.topic': topicA,
        'max.records': '5',
        'tasks.max': '1',
        'sink.password': SECRET,
      },
    });
    assert.equal(created.status, 201, created.text);
    const outside = await worker.rest(as('alice'), 'POST', '/connectors', {
      name: `${tenantB}.mine`,
      config: { 'connector.class': DATAGEN, 'kafka.topic': `${tenantB}.t` },
    });
    assert.equal(outside.status, 403, outside.text);

    for (const route of routes.filter((r) => r.template.includes('{connector}'))) {
      const reply = await worker.rest(
        as('bob'),
        route.method,
        route.path,
        route.method === 'GET' ? undefined : {},
      );
      assert.equal(reply.status, 403, `${route.method} ${route.path}: ${reply.text}`);
      assert.equal((reply.body as { error_code: number }).error_code, 403);
    }
    const bobList = await worker.rest<string[]>(as('bob'), 'GET', '/connectors');
    assert.deepEqual(bobList.body, []);
    const bobExpanded = await worker.rest<object>(as('bob'), 'GET', '/connectors?expand=status');
    assert.deepEqual(bobExpanded.body, {});
    const aliceList = await worker.rest<string[]>(as('alice'), 'GET', '/connectors');
    assert.deepEqual(aliceList.body, [connectorA]);
    const rootList = await worker.rest<string[]>(as('root'), 'GET', '/connectors');
    assert.ok(rootList.body.includes(connectorA));
  });

  test('a viewer reads its tenant’s connectors and is refused every change', async () => {
    const status = await worker.rest(
      as('victor'),
      'GET',
      `/connectors/${encodeURIComponent(connectorA)}/status`,
    );
    assert.equal(status.status, 200, status.text);
    const readOnly = new Set(['PUT /connector-plugins/{plugin}/config/validate']);
    for (const route of routes.filter(
      (r) => r.method !== 'GET' && !readOnly.has(`${r.method} ${r.template}`),
    )) {
      const reply = await worker.rest(as('victor'), route.method, route.path, {});
      assert.equal(reply.status, 403, `${route.method} ${route.path}: ${reply.text}`);
    }
  });

  test('an operator is refused every admin-only change (loggers, jobs)', async () => {
    const tenantRoutes = new Set(['POST /connectors', 'PUT /connector-plugins/{plugin}/config/validate']);
    for (const route of routes.filter(
      (r) =>
        r.method !== 'GET' &&
        !r.template.includes('{connector}') &&
        !tenantRoutes.has(`${r.method} ${r.template}`),
    )) {
      const reply = await worker.rest(as('bob'), route.method, route.path, {});
      assert.equal(reply.status, 403, `${route.method} ${route.path}: ${reply.text}`);
    }
  });

  test('tenant limits: no FileStreamSink, no other tenant’s topics, no more tasks or connectors than allowed', async () => {
    const refused = async (name: string, config: Record<string, string>, why: RegExp): Promise<void> => {
      const reply = await worker.rest<{ message: string }>(as('alice'), 'POST', '/connectors', {
        name: `${tenantA}.${name}`,
        config,
      });
      assert.equal(reply.status, 403, reply.text);
      assert.match(reply.body.message, why);
    };
    await refused(
      'sink',
      { 'connector.class': 'FileStreamSink', topics: topicA, file: join(dir, 'out.txt') },
      /plugin FileStreamSink/,
    );
    await refused(
      'steal',
      { 'connector.class': DATAGEN, 'kafka.topic': `${tenantB}.secrets` },
      /outside its topics/,
    );
    await refused(
      'regex',
      { 'connector.class': DATAGEN, 'kafka.topic': topicA, 'errors.deadletterqueue.topic.name': 'dlq' },
      /outside its topics/,
    );
    await refused(
      'provider',
      { 'connector.class': DATAGEN, 'kafka.topic': '${file:/etc/passwd:x}' },
      /config provider/,
    );
    await refused(
      'tasks',
      { 'connector.class': DATAGEN, 'kafka.topic': topicA, 'tasks.max': '2' },
      /at most 2 task/,
    );
    const second = await worker.rest(
      as('alice'),
      'PUT',
      `/connectors/${encodeURIComponent(`${tenantA}.two`)}/config`,
      {
        'connector.class': DATAGEN,
        'kafka.topic': topicA,
        'max.records': '1',
      },
    );
    assert.equal(second.status, 201, second.text);
    await refused('three', { 'connector.class': DATAGEN, 'kafka.topic': topicA }, /at most 2 connector/);
    const patched = await worker.rest<{ message: string }>(
      as('alice'),
      'PATCH',
      `/connectors/${encodeURIComponent(`${tenantA}.two`)}/config`,
      { 'kafka.topic': `${tenantB}.t` },
    );
    assert.equal(patched.status, 403, patched.text);
    const deleted = await worker.rest(
      as('alice'),
      'DELETE',
      `/connectors/${encodeURIComponent(`${tenantA}.two`)}`,
    );
    assert.equal(deleted.status, 204, deleted.text);
  });

  test('secrets are [hidden] in every GET and validate answer, and a config sent back keeps them', async () => {
    const c = encodeURIComponent(connectorA);
    const reads = routes.filter((r) => r.method === 'GET' && r.template !== '/metrics');
    for (const user of ['root', 'alice', 'victor'] as const) {
      for (const route of reads) {
        const reply = await worker.rest(as(user), 'GET', route.path);
        assert.ok(!reply.text.includes(SECRET), `${user} GET ${route.path} shows the secret: ${reply.text}`);
      }
      const expanded = await worker.rest(as(user), 'GET', '/connectors?expand=info&expand=status');
      assert.ok(expanded.text.includes('[hidden]') && !expanded.text.includes(SECRET), expanded.text);
    }
    const validated = await worker.rest(
      as('alice'),
      'PUT',
      '/connector-plugins/DatagenSource/config/validate',
      {
        'connector.class': DATAGEN,
        'kafka.topic': topicA,
        'sink.password': SECRET,
      },
    );
    assert.ok(!validated.text.includes(SECRET), validated.text);
    const config = await worker.rest<Record<string, string>>(as('alice'), 'GET', `/connectors/${c}/config`);
    assert.equal(config.body['sink.password'], '[hidden]');
    const put = await worker.rest(as('alice'), 'PUT', `/connectors/${c}/config`, config.body);
    assert.equal(put.status, 200, put.text);
    const stored = await readFile(join(dir, 'offsets.json.connectors.json'), 'utf8');
    assert.ok(stored.includes(SECRET), 'the stored config lost its secret after a round trip');
    assert.ok(!worker.output.includes(SECRET), 'a log line shows the secret');
  });

  test('/metrics shows a tenant only its own connectors', async () => {
    const label = `connector="${connectorA}"`;
    const rootMetrics = await waitFor(
      async () => {
        const reply = await worker.rest(as('root'), 'GET', '/metrics');
        return reply.text.includes(label) ? reply : false;
      },
      30_000,
      `metrics of ${connectorA}`,
    );
    assert.equal(rootMetrics.status, 200);
    assert.ok((await worker.rest(as('alice'), 'GET', '/metrics')).text.includes(label));
    const bobMetrics = await worker.rest(as('bob'), 'GET', '/metrics');
    assert.equal(bobMetrics.status, 200);
    assert.ok(!bobMetrics.text.includes(connectorA), 'bob sees tenant a in /metrics');
    const bobHistory = await worker.rest(as('bob'), 'GET', '/metrics/history');
    assert.equal(bobHistory.status, 200, bobHistory.text);
    assert.ok(!bobHistory.text.includes(connectorA), 'bob sees tenant a in /metrics/history');
  });

  test('every change is audited with principal, tenant, action, connector and result', async () => {
    const lines = worker.output.split('\n').filter((l) => l.includes('"audit":true'));
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(
      entries.some(
        (e) =>
          e['principal'] === 'alice' &&
          e['tenant'] === tenantA &&
          e['action'] === 'POST /connectors' &&
          e['connector'] === connectorA &&
          e['result'] === 'ok',
      ),
      lines.join('\n'),
    );
    assert.ok(entries.some((e) => e['principal'] === 'bob' && e['result'] === 'denied'));
    // Every mutating route of the document was called above (by the 401 walk at least): each left a line.
    for (const route of routes.filter((r) => r.method !== 'GET'))
      assert.ok(
        entries.some((e) => e['action'] === `${route.method} ${route.template}`),
        `no audit line for ${route.method} ${route.template}`,
      );
    assert.ok(entries.some((e) => e['principal'] === null && e['status'] === 401));
    assert.ok(!worker.output.includes(PASSWORDS.alice), 'a password reached the log');
  });

  test('the tenants file is re-read without a restart', async () => {
    await writeFile(tenantsFile, JSON.stringify(tenants('viewer')));
    await waitFor(
      async () => {
        const reply = await worker.rest(
          as('alice'),
          'PUT',
          `/connectors/${encodeURIComponent(connectorA)}/pause`,
        );
        return reply.status === 403 ? reply : false;
      },
      10_000,
      'alice to become a viewer',
    );
  });
});
