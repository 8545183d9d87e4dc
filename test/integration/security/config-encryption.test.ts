// config.encryption.key (from a config provider): a literal secret in a connector config is stored
// encrypted in the standalone connectors file and in the distributed config topic, read back in clear by
// the worker (across a restart, and by the connector's task), and a config-provider reference is kept as
// it is. A worker with another key cannot read it and says so.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deleteTopics, readTopic, topicSize } from '../../support/kafka-test-client.js';
import { makeTempDir, removeTempDir, rest, uniqueName, WorkerProcess } from '../../support/worker-process.js';
import { TestCluster } from '../distributed/distributed-worker.js';

const DATAGEN = 'sluice.connect.datagen.DatagenSourceConnector';
const SECRET = `literal-secret-${randomBytes(6).toString('hex')}`;

describe('connector configs encrypted at rest', { timeout: 150_000 }, () => {
  let keys = '';
  const keyProperties = (file: string): Record<string, string> => ({
    'config.providers': 'file',
    'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
    'config.encryption.key': `\${file:${file}:config.key}`,
  });
  let keyFile = '';
  let otherKeyFile = '';
  const topics: string[] = [];

  before(async () => {
    keys = await makeTempDir('config-keys');
    keyFile = join(keys, 'keys.properties');
    otherKeyFile = join(keys, 'other.properties');
    await writeFile(keyFile, `config.key=${randomBytes(32).toString('base64')}\n`);
    await writeFile(otherKeyFile, `config.key=${randomBytes(32).toString('hex')}\n`);
  });

  after(async () => {
    await deleteTopics(topics).catch(() => undefined);
    await removeTempDir(keys);
  });

  test('standalone: the connectors file holds no literal secret, and a restart reads it back', async () => {
    const name = uniqueName('enc');
    const topic = `${name}-out`;
    topics.push(topic);
    const worker = await WorkerProcess.start({ properties: keyProperties(keyFile) });
    try {
      await worker.createConnector(name, {
        'connector.class': DATAGEN,
        'kafka.topic': topic,
        'max.records': '3',
        'sink.password': SECRET,
        'other.secret': `\${file:${keyFile}:config.key}`,
      });
      await worker.waitForTaskState(name, 'RUNNING');
      const file = await readFile(`${worker.offsetsFile}.connectors.json`, 'utf8');
      assert.ok(!file.includes(SECRET), 'the connectors file shows the secret');
      assert.match(file, /"sink\.password": "sealed:aes-256-gcm:[0-9a-f]{8}:/);
      assert.ok(file.includes(`\${file:${keyFile}:config.key}`), 'a reference was sealed too');

      await worker.terminate();
      await worker.start();
      const config = await worker.rest<Record<string, string>>('GET', `/connectors/${name}/config`);
      assert.equal(config.body['sink.password'], SECRET);
      await worker.waitForTaskState(name, 'RUNNING');
      assert.ok((await topicSize(topic)) >= 3);
      assert.ok(!worker.output.includes(SECRET), 'a log line shows the secret');
    } finally {
      await worker.dispose();
    }
  });

  test('distributed: the config topic holds no literal secret; a worker with another key cannot read it', async () => {
    const cluster = await TestCluster.create(keyProperties(keyFile));
    const stranger = await TestCluster.create(keyProperties(otherKeyFile));
    const name = uniqueName('enc-dist');
    topics.push(`${name}-out`);
    try {
      await cluster.start(1);
      const worker = cluster.workers[0]!;
      const created = await rest(worker.url, 'POST', '/connectors', {
        name,
        config: {
          'connector.class': DATAGEN,
          'kafka.topic': `${name}-out`,
          'max.records': '1',
          'db.password': SECRET,
        },
      });
      assert.equal(created.status, 201, created.text);
      await cluster.waitForState(worker, name, 'RUNNING', 1);
      // The connector's config, its task's and the commit, at least.
      const records = await readTopic(cluster.topics[0]!, 3);
      const text = records.map((r) => r.value?.toString('utf8') ?? '').join('\n');
      assert.ok(text.includes('sealed:aes-256-gcm:'), text);
      assert.ok(!text.includes(SECRET), 'the config topic shows the secret');
      const config = await rest<Record<string, string>>(worker.url, 'GET', `/connectors/${name}/config`);
      assert.equal(config.body['db.password'], SECRET);
      await worker.kill9();

      // The same cluster's topics read by a worker with another key: the value stays sealed, and it says why.
      const other = await stranger.prepareWorker();
      await writeFile(
        other.workerFile,
        (await readFile(other.workerFile, 'utf8')).replaceAll(stranger.groupId, cluster.groupId),
      );
      await other.start();
      const read = await rest<Record<string, string>>(other.url, 'GET', `/connectors/${name}/config`);
      assert.match(read.body['db.password'] ?? '', /^sealed:aes-256-gcm:/);
      assert.match(other.output, /db\.password cannot be decrypted: it was sealed with key [0-9a-f]{8}/);
    } finally {
      await stranger.dispose();
      await cluster.dispose();
    }
  });
});
