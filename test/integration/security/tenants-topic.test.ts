// Two distributed workers over https whose tenants live in a compacted Kafka topic (tenants.topic): a
// principal declared there works on either worker (the follower forwards to the leader, which knows it
// from the same topic), and a record written to the topic changes a role or removes a principal on every
// worker without a restart. A record that would leave the tenants inconsistent is ignored.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { createTopic, deleteTopics, produce } from '../../support/kafka-test-client.js';
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

describe('tenants from a compacted Kafka topic, distributed', { timeout: 150_000 }, () => {
  const groupId = uniqueName('it-tentopic');
  const tenant = groupId.replace(/[^A-Za-z0-9]/g, '');
  const tenantsTopic = `${groupId}-tenants`;
  const internalTopics = [`${groupId}-configs`, `${groupId}-offsets`, `${groupId}-status`];
  const connector = `${tenant}.gen`;
  let dir = '';
  let client: (user: string) => HttpsClient;
  const workers: HttpsWorker[] = [];
  const entry = (key: string, value: unknown) => ({
    key,
    value: value === null ? null : JSON.stringify(value),
  });

  before(async () => {
    dir = await makeTempDir('tenants-topic');
    const ca = await TestCa.create(dir);
    client = (user) => ({ ca: ca.certFile, authorization: basicAuth(user, `${user}-pw`) });
    const users = join(dir, 'users');
    await writeFile(users, ['alice', 'bob'].map((u) => `${u}:${hashPassword(`${u}-pw`)}`).join('\n') + '\n');
    await createTopic(tenantsTopic, 1, KAFKA_BOOTSTRAP, { 'cleanup.policy': 'compact' });
    await produce(tenantsTopic, [
      entry(`tenant:${tenant}`, { plugins: ['DatagenSource'], maxConnectors: 3 }),
      entry('principal:alice', { tenant, role: 'operator' }),
    ]);
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const own = await ca.issue(`worker-${i}`, '/CN=127.0.0.1');
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
        'rest.auth': 'basic',
        'rest.auth.basic.users.file': users,
        'tenants.topic': tenantsTopic,
      });
      const worker = new HttpsWorker('distributed', port, file, { ca: ca.certFile });
      workers.push(worker);
      // One after the other: the first creates the internal topics and leads.
      await worker.start();
    }
  });

  after(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await deleteTopics([...internalTopics, tenantsTopic, `${tenant}.out`]).catch(() => undefined);
    await removeTempDir(dir);
  });

  test('a principal from the topic creates through the follower; bob, not in the topic, is refused', async () => {
    const follower = workers[1]!;
    const created = await waitFor(
      async () => {
        const reply = await follower.rest(client('alice'), 'POST', '/connectors', {
          name: connector,
          config: { 'connector.class': DATAGEN, 'kafka.topic': `${tenant}.out`, 'max.records': '1' },
        });
        // 409 while the group is still forming, as any write.
        return reply.status === 409 ? false : reply;
      },
      60_000,
      'the write through the follower',
    );
    assert.equal(created.status, 201, created.text);
    for (const worker of workers) {
      const bob = await worker.rest(client('bob'), 'GET', '/connectors');
      assert.equal(bob.status, 403, bob.text);
      const list = await worker.rest<string[]>(client('alice'), 'GET', '/connectors');
      assert.deepEqual(list.body, [connector]);
    }
  });

  test('a record in the topic changes a role on every worker, an inconsistent one is ignored, a tombstone removes', async () => {
    const pause = `/connectors/${encodeURIComponent(connector)}/pause`;
    await produce(tenantsTopic, [entry('principal:alice', { tenant, role: 'viewer' })]);
    for (const worker of workers)
      await waitFor(
        async () => (await worker.rest(client('alice'), 'PUT', pause)).status === 403,
        30_000,
        'alice to be a viewer on every worker',
      );
    // A principal of a tenant that does not exist: logged, and the tenants stay as they were.
    await produce(tenantsTopic, [entry('principal:bob', { tenant: 'nowhere', role: 'operator' })]);
    await waitFor(
      () => workers.every((w) => w.output.includes('do not hold together')),
      30_000,
      'the inconsistent record to be reported',
    );
    for (const worker of workers) {
      assert.equal((await worker.rest(client('alice'), 'GET', '/connectors')).status, 200);
      assert.equal((await worker.rest(client('bob'), 'GET', '/connectors')).status, 403);
    }
    await produce(tenantsTopic, [entry('principal:bob', null), entry('principal:alice', null)]);
    for (const worker of workers)
      await waitFor(
        async () => (await worker.rest(client('alice'), 'GET', '/connectors')).status === 403,
        30_000,
        'alice to be removed on every worker',
      );
  });
});
