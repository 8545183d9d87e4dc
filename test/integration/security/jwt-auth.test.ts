// rest.auth=jwt on a real worker over https: tokens signed by the configured issuer's key authenticate,
// their role and tenant claims decide what the caller may do, and a token that is expired, for another
// audience or issuer, signed by another key or with another algorithm, or naming an undeclared tenant is
// refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { deleteTopics } from '../../support/kafka-test-client.js';
import type { HttpsClient } from '../../support/https-rest.js';
import { TestCa } from '../../support/rest-certificates.js';
import {
  freePort,
  makeTempDir,
  removeTempDir,
  uniqueName,
  writeProperties,
} from '../../support/worker-process.js';
import { HttpsWorker } from './https-worker.js';

const DATAGEN = 'sluice.connect.datagen.DatagenSourceConnector';
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'sluice-rest';

describe('REST authentication with JWT bearer tokens', { timeout: 120_000 }, () => {
  const run = uniqueName('jwt').replace(/[^A-Za-z0-9]/g, '');
  const tenantA = `${run}a`;
  const tenantB = `${run}b`;
  const connectorA = `${tenantA}.gen`;
  let dir = '';
  let ca = '';
  let worker: HttpsWorker;
  const issuerKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const otherKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });

  const token = async (
    claims: Record<string, unknown>,
    options: {
      key?: KeyObject;
      alg?: string;
      issuer?: string;
      audience?: string;
      expires?: string | number;
    } = {},
  ): Promise<string> =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: options.alg ?? 'ES256' })
      .setIssuer(options.issuer ?? ISSUER)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '5m')
      .sign(options.key ?? issuerKeys.privateKey);
  const as = (jwt: string | null): HttpsClient => ({
    ca,
    ...(jwt === null ? {} : { authorization: `Bearer ${jwt}` }),
  });

  before(async () => {
    dir = await makeTempDir('jwt-auth');
    const testCa = await TestCa.create(dir);
    ca = testCa.certFile;
    const server = await testCa.issue('worker', '/CN=127.0.0.1');
    const publicKeyFile = join(dir, 'issuer-public.pem');
    await writeFile(publicKeyFile, issuerKeys.publicKey.export({ type: 'spki', format: 'pem' }));
    const tenantsFile = join(dir, 'tenants.json');
    await writeFile(
      tenantsFile,
      JSON.stringify({
        // Tokens without a role claim are looked up here by their subject.
        principals: { root: { role: 'admin' } },
        tenants: { [tenantA]: { plugins: ['DatagenSource'] }, [tenantB]: {} },
      }),
    );
    const port = await freePort();
    const workerFile = await writeProperties(join(dir, 'worker.properties'), {
      'bootstrap.servers': KAFKA_BOOTSTRAP,
      listeners: `https://127.0.0.1:${port}`,
      'listeners.https.ssl.keystore.type': 'PEM',
      'listeners.https.ssl.keystore.location': server.keystore,
      'offset.storage.file.filename': join(dir, 'offsets.json'),
      'rest.auth': 'jwt',
      'rest.auth.jwt.public.key.file': publicKeyFile,
      'rest.auth.jwt.issuer': ISSUER,
      'rest.auth.jwt.audience': AUDIENCE,
      'tenants.file': tenantsFile,
    });
    worker = new HttpsWorker('standalone', port, workerFile, { ca });
    await worker.start();
  });

  after(async () => {
    await worker?.dispose();
    await deleteTopics([`${tenantA}.numbers`]).catch(() => undefined);
    await removeTempDir(dir);
  });

  test('claims decide: an operator creates in its tenant, another tenant and a viewer are refused', async () => {
    const alice = await token({ sub: 'alice', role: 'operator', tenant: tenantA });
    const created = await worker.rest(as(alice), 'POST', '/connectors', {
      name: connectorA,
      config: { 'connector.class': DATAGEN, 'kafka.topic': `${tenantA}.numbers`, 'max.records': '1' },
    });
    assert.equal(created.status, 201, created.text);
    const path = `/connectors/${encodeURIComponent(connectorA)}`;

    const bob = await token({ sub: 'bob', role: 'operator', tenant: tenantB });
    assert.equal((await worker.rest(as(bob), 'GET', `${path}/status`)).status, 403);
    assert.deepEqual((await worker.rest(as(bob), 'GET', '/connectors')).body, []);

    const victor = await token({ sub: 'victor', role: 'viewer', tenant: tenantA });
    assert.equal((await worker.rest(as(victor), 'GET', `${path}/config`)).status, 200);
    assert.equal((await worker.rest(as(victor), 'PUT', `${path}/pause`)).status, 403);

    // No role claim: the tenants file says who the subject is.
    const root = await token({ sub: 'root' });
    assert.equal((await worker.rest(as(root), 'PUT', '/admin/loggers/root', { level: 'INFO' })).status, 200);

    const audit = worker.output
      .split('\n')
      .filter((l) => l.includes('"audit":true'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(
      audit.some(
        (e) =>
          e['principal'] === 'alice' &&
          e['tenant'] === tenantA &&
          e['action'] === 'POST /connectors' &&
          e['result'] === 'ok',
      ),
      JSON.stringify(audit),
    );
  });

  test('expired, foreign, forged and malformed tokens get 401; an undeclared tenant gets 403', async () => {
    const claims = { sub: 'alice', role: 'operator', tenant: tenantA };
    const refused: [string, string | null][] = [
      ['no token', null],
      ['expired', await token(claims, { expires: Math.floor(Date.now() / 1000) - 120 })],
      ['other audience', await token(claims, { audience: 'someone-else' })],
      ['other issuer', await token(claims, { issuer: 'https://evil.example.test/' })],
      ['other key', await token(claims, { key: otherKeys.privateKey })],
      ['unknown role', await token({ ...claims, role: 'superuser' })],
      ['no subject', await token({ role: 'admin' })],
      ['garbage', 'a.b.c'],
    ];
    // The public key used as an HMAC secret (algorithm confusion) must not verify either.
    const pem = issuerKeys.publicKey.export({ type: 'spki', format: 'pem' });
    refused.push([
      'HS256 with the public key',
      await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(String(pem))),
    ]);
    for (const [why, jwt] of refused) {
      const reply = await worker.rest<{ error_code: number }>(as(jwt), 'GET', '/connectors');
      assert.equal(reply.status, 401, `${why}: ${reply.text}`);
      assert.equal(reply.body.error_code, 401);
    }
    const stranger = await token({ sub: 'mallory', role: 'operator', tenant: 'undeclared' });
    assert.equal((await worker.rest(as(stranger), 'GET', '/connectors')).status, 403);
  });
});
