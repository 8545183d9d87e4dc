// A standalone worker on cluster A's SSL listener, which requires a client certificate: source and sink
// tasks move records with the worker's PEM key store; a task told to trust another CA fails with the
// certificate code, not "not reachable".
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { makeTempDir, removeTempDir, uniqueName, WorkerProcess } from '../../support/worker-process.js';
import { cleanUp, runFilePipeline } from './secured-pipeline.js';
import { KAFKA_SSL_BOOTSTRAP, mtlsProperties, untrustedCa } from './secured-cluster.js';

describe('standalone worker over SSL with a client certificate', () => {
  let worker: WorkerProcess;
  const connectors: string[] = [];
  const topics: string[] = [];

  let keys: string;

  before(async () => {
    keys = await makeTempDir('kafkasec-keys');
    worker = await WorkerProcess.start({
      properties: { 'bootstrap.servers': KAFKA_SSL_BOOTSTRAP, ...mtlsProperties(keys) },
    });
  });

  after(async () => {
    await cleanUp(worker, connectors, topics);
    await worker.dispose();
    await removeTempDir(keys);
  });

  test('source and sink tasks present the client certificate and move every record in order', async () => {
    const run = await runFilePipeline(worker, worker.dir, 'kafkasec-mtls', 25);
    connectors.push(run.source, run.sink);
    topics.push(run.topic);
    assert.deepEqual(run.output, run.expected);
  });

  test('a broker certificate from a CA the task does not trust leaves it FAILED with KAFKA_CERTIFICATE_INVALID', async () => {
    const name = uniqueName('kafkasec-untrusted');
    connectors.push(name);
    await worker.createConnector(name, {
      'connector.class': 'FileStreamSource',
      file: `${worker.dir}/untrusted.in`,
      topic: name,
      'producer.override.ssl.truststore.location': untrustedCa(worker.dir),
    });
    const status = await worker.waitForTaskState(name, 'FAILED', 45_000);
    const trace = status.tasks[0]?.trace ?? '';
    assert.match(trace, /TLS with Kafka at .* failed on a certificate/);
    assert.doesNotMatch(trace, /not reachable/);
  });
});
