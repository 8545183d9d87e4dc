// Three distributed workers on https that require client certificates (rest.auth=mtls): a tenant's writes
// sent to any worker succeed, the followers' forwarded to the leader over https, verified both ways and
// signed for the caller; a certificate from another CA, no certificate, or a forged forwarding is refused.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { deleteTopics } from '../../support/kafka-test-client.js';
import { httpsRest, type HttpsClient } from '../../support/https-rest.js';
import { TestCa, type CertificateFiles } from '../../support/rest-certificates.js';
import {
  freePort,
  makeTempDir,
  removeTempDir,
  uniqueName,
  waitFor,
  writeProperties,
} from '../../support/worker-process.js';
import { HttpsWorker } from './https-worker.js';

const DATAGEN = 'sluice.connect.datagen.DatagenSourceConnector';

describe('distributed workers over https with mTLS and forwarding', { timeout: 150_000 }, () => {
  const groupId = uniqueName('it-sec');
  const tenant = groupId.replace(/[^A-Za-z0-9]/g, '');
  const internalTopics = [`${groupId}-configs`, `${groupId}-offsets`, `${groupId}-status`];
  const names = [`${tenant}.one`, `${tenant}.two`, `${tenant}.three`];
  const topics = names.map((n) => `${n}-out`);
  let dir = '';
  let ca: TestCa;
  let alice: CertificateFiles;
  let bob: CertificateFiles;
  const workers: HttpsWorker[] = [];
  const client = (certificate?: CertificateFiles): HttpsClient => ({
    ca: ca.certFile,
    ...(certificate === undefined ? {} : { certificate }),
  });

  before(async () => {
    dir = await makeTempDir('sec-dist');
    ca = await TestCa.create(dir);
    alice = await ca.issue('alice', '/CN=alice/O=team-a');
    bob = await ca.issue('bob', '/CN=bob/O=team-b');
    const tenantsFile = join(dir, 'tenants.json');
    await writeFile(
      tenantsFile,
      JSON.stringify({
        principals: { alice: { tenant, role: 'operator' }, bob: { tenant: `${tenant}x`, role: 'operator' } },
        tenants: { [tenant]: { plugins: ['DatagenSource'] }, [`${tenant}x`]: {} },
      }),
    );
    for (let i = 0; i < names.length; i++) {
      const port = await freePort();
      const own = await ca.issue(`worker-${i}`, `/CN=worker-${i}`);
      const file = await writeProperties(join(dir, `worker-${i}.properties`), {
        'bootstrap.servers': KAFKA_BOOTSTRAP,
        'group.id': groupId,
        'config.storage.topic': internalTopics[0]!,
        'offset.storage.topic': internalTopics[1]!,
        'status.storage.topic': internalTopics[2]!,
        'config.storage.replication.factor': '1',
        'offset.storage.replication.factor': '1',
        'status.storage.replication.factor': '1',
        'offset.storage.partitions': '1',
        'status.storage.partitions': '1',
        'session.timeout.ms': '6000',
        'heartbeat.interval.ms': '1000',
        listeners: `https://127.0.0.1:${port}`,
        'listeners.https.ssl.keystore.type': 'PEM',
        'listeners.https.ssl.keystore.location': own.keystore,
        'listeners.https.ssl.truststore.type': 'PEM',
        'listeners.https.ssl.truststore.location': ca.certFile,
        'listeners.https.ssl.client.auth': 'required',
        'rest.auth': 'mtls',
        'tenants.file': tenantsFile,
      });
      const worker = new HttpsWorker('distributed', port, file, client(own));
      workers.push(worker);
      // One after the other: the first creates the internal topics and leads.
      await worker.start();
    }
  });

  after(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await deleteTopics([...internalTopics, ...topics]).catch(() => undefined);
    await removeTempDir(dir);
  });

  test('a tenant creates through each worker; the follower forwards over https for the same principal', async () => {
    for (const [i, worker] of workers.entries()) {
      const reply = await waitFor(
        async () => {
          const r = await worker.rest(client(alice), 'POST', '/connectors', {
            name: names[i],
            config: { 'connector.class': DATAGEN, 'kafka.topic': topics[i], 'max.records': '3' },
          });
          // 409 while the group is still settling its first leader.
          return r.status === 409 ? false : r;
        },
        30_000,
        `creating ${names[i]} through worker ${i}`,
      );
      assert.equal(reply.status, 201, `worker ${i}: ${reply.text}`);
    }
    for (const worker of workers) {
      const list = await worker.rest<string[]>(client(alice), 'GET', '/connectors');
      assert.deepEqual([...list.body].sort(), [...names].sort());
    }
    // The leader audited all three creations as alice's, the forwarded one included.
    const auditedFor = (worker: HttpsWorker, name: string): boolean =>
      worker.output
        .split('\n')
        .filter((line) => line.includes('"audit":true'))
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .some((e) => e['principal'] === 'alice' && e['connector'] === name && e['status'] === 201);
    const leaders = workers.filter((w) => names.every((n) => auditedFor(w, n)));
    assert.equal(leaders.length, 1, 'exactly one worker (the leader) ran every creation for alice');
  });

  test('another tenant is refused, on the follower and on the leader', async () => {
    for (const worker of workers) {
      const reply = await worker.rest(client(bob), 'DELETE', `/connectors/${encodeURIComponent(names[0]!)}`);
      assert.equal(reply.status, 403, reply.text);
      const list = await worker.rest<string[]>(client(bob), 'GET', '/connectors');
      assert.deepEqual(list.body, []);
    }
  });

  test('a forged forwarding header is refused with 401', async () => {
    for (const worker of workers) {
      const forged = await httpsRest(
        client(bob),
        worker.url,
        'DELETE',
        `/connectors/${encodeURIComponent(names[0]!)}`,
        undefined,
        {
          'x-sluice-forwarded-principal': 'alice',
          'x-sluice-forwarded-at': String(Date.now()),
          'x-sluice-forwarded-signature': Buffer.alloc(32).toString('base64'),
        },
      );
      assert.equal(forged.status, 401, forged.text);
    }
  });

  test('a certificate from another CA, or none, fails the TLS handshake', async () => {
    const rogueCa = await TestCa.create(dir, 'rogue');
    const mallory = await rogueCa.issue('mallory', '/CN=alice');
    for (const worker of workers) {
      await assert.rejects(worker.rest(client(mallory), 'GET', '/connectors'));
      await assert.rejects(worker.rest(client(), 'GET', '/connectors'));
    }
  });
});
