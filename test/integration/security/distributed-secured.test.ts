// Distributed workers on cluster A's secured listeners, one over SASL_SSL and one over SSL with a client
// certificate: their internal topics and group membership use the worker's security keys, and source
// and sink tasks move records. A worker with a wrong password does not start and says why.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { KAFKA_SASL_PASSWORD, KAFKA_SASL_USER } from '../../support/endpoints.js';
import { makeTempDir, removeTempDir, runCli, writeProperties } from '../../support/worker-process.js';
import { TestCluster, type DistributedWorker } from '../distributed/distributed-worker.js';
import { cleanUp, runFilePipeline } from './secured-pipeline.js';
import {
  KAFKA_SASL_BOOTSTRAP,
  KAFKA_SSL_BOOTSTRAP,
  mtlsProperties,
  SASL_SSL_PROPERTIES,
  scramJaas,
} from './secured-cluster.js';

describe('distributed workers over secured listeners', () => {
  let sasl: TestCluster;
  let mtls: TestCluster;
  let keys: string;
  const made: { worker: DistributedWorker; connectors: string[]; topics: string[] }[] = [];

  before(async () => {
    sasl = await TestCluster.create({ 'bootstrap.servers': KAFKA_SASL_BOOTSTRAP, ...SASL_SSL_PROPERTIES });
    keys = await makeTempDir('kafkasec-keys');
    mtls = await TestCluster.create({ 'bootstrap.servers': KAFKA_SSL_BOOTSTRAP, ...mtlsProperties(keys) });
    await Promise.all([sasl.start(1), mtls.start(1)]);
  });

  after(async () => {
    for (const m of made) await cleanUp(m.worker, m.connectors, m.topics);
    await Promise.all([sasl.dispose(), mtls.dispose()]);
    await removeTempDir(keys);
  });

  for (const [label, cluster] of [
    ['SASL_SSL', () => sasl],
    ['mTLS', () => mtls],
  ] as const) {
    test(`${label}: the worker joins its group through its internal topics and its tasks move every record`, async () => {
      const worker = cluster().workers[0]!;
      const run = await runFilePipeline(worker, cluster().dir, `kafkasec-dist-${label.toLowerCase()}`, 20);
      made.push({ worker, connectors: [run.source, run.sink], topics: [run.topic] });
      assert.deepEqual(run.output, run.expected);
    });
  }

  test('a worker with a wrong password exits naming the authentication failure, without the password', async () => {
    const wrong = 'wrong-password-for-the-worker';
    const file = await writeProperties(join(sasl.dir, 'wrong-password.properties'), {
      'bootstrap.servers': KAFKA_SASL_BOOTSTRAP,
      ...SASL_SSL_PROPERTIES,
      'sasl.jaas.config': scramJaas(KAFKA_SASL_USER, wrong),
      'group.id': `${sasl.groupId}-wrong`,
      'config.storage.topic': `${sasl.groupId}-wrong-configs`,
      'offset.storage.topic': `${sasl.groupId}-wrong-offsets`,
      'status.storage.topic': `${sasl.groupId}-wrong-status`,
      'config.storage.replication.factor': '1',
      'offset.storage.replication.factor': '1',
      'status.storage.replication.factor': '1',
      listeners: 'http://127.0.0.1:0',
    });
    const result = await runCli(['distributed', file], 30_000);
    assert.notEqual(result.code, 0);
    const output = result.stdout + result.stderr;
    assert.match(output, /Authentication to Kafka at .* failed/);
    assert.ok(!output.includes(wrong) && !output.includes(KAFKA_SASL_PASSWORD), 'a password leaked');
  });
});
