// A standalone worker on cluster A's SASL_SSL listener (SCRAM-SHA-512, broker certificate from the test
// CA): source and sink tasks move records; a wrong password fails the task with the authentication code;
// a JKS store is refused at creation naming the key; no secret shows in the logs, statuses or REST.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { KAFKA_SASL_PASSWORD, KAFKA_SASL_USER } from '../../support/endpoints.js';
import { uniqueName, WorkerProcess } from '../../support/worker-process.js';
import { cleanUp, runFilePipeline } from './secured-pipeline.js';
import { KAFKA_SASL_BOOTSTRAP, SASL_SSL_PROPERTIES, scramJaas } from './secured-cluster.js';

const WRONG_PASSWORD = 'not-the-sluice-secret-42';

describe('standalone worker over SASL_SSL', () => {
  let worker: WorkerProcess;
  const connectors: string[] = [];
  const topics: string[] = [];

  before(async () => {
    worker = await WorkerProcess.start({
      properties: { 'bootstrap.servers': KAFKA_SASL_BOOTSTRAP, ...SASL_SSL_PROPERTIES },
    });
  });

  after(async () => {
    await cleanUp(worker, connectors, topics);
    await worker.dispose();
  });

  test('source and sink tasks authenticate and move every record in order', async () => {
    const run = await runFilePipeline(worker, worker.dir, 'kafkasec-sasl', 25);
    connectors.push(run.source, run.sink);
    topics.push(run.topic);
    assert.deepEqual(run.output, run.expected);
  });

  test('a wrong password leaves the task FAILED with KAFKA_AUTHENTICATION_FAILED and shows no password', async () => {
    const name = uniqueName('kafkasec-badpw');
    connectors.push(name);
    await worker.createConnector(name, {
      'connector.class': 'FileStreamSink',
      file: `${worker.dir}/badpw.out`,
      topics: uniqueName('kafkasec-badpw-topic'),
      'consumer.override.sasl.jaas.config': scramJaas(KAFKA_SASL_USER, WRONG_PASSWORD),
    });
    const status = await worker.waitForTaskState(name, 'FAILED', 40_000);
    const trace = status.tasks[0]?.trace ?? '';
    assert.match(trace, /KAFKA_AUTHENTICATION_FAILED|Authentication to Kafka at .* failed/);
    assert.doesNotMatch(trace, /not reachable/);
    for (const text of [trace, worker.output, JSON.stringify(status)]) {
      assert.ok(!text.includes(WRONG_PASSWORD), 'the wrong password leaked');
      assert.ok(!text.includes(KAFKA_SASL_PASSWORD), 'the worker password leaked');
    }
  });

  test('a JKS truststore is refused with 400 naming the key, and the answer shows no secret', async () => {
    const name = uniqueName('kafkasec-jks');
    // A JKS store starts with the magic number FEEDFEED.
    const jks = `${worker.dir}/truststore.jks`;
    await writeFile(jks, Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0, 0, 2]));
    const reply = await worker.rest('POST', '/connectors', {
      name,
      config: {
        'connector.class': 'FileStreamSource',
        file: `${worker.dir}/jks.in`,
        topic: name,
        'producer.override.ssl.truststore.type': 'JKS',
        'producer.override.ssl.truststore.location': jks,
        'producer.override.sasl.jaas.config': scramJaas('other', WRONG_PASSWORD),
      },
    });
    assert.equal(reply.status, 400, reply.text);
    assert.match(reply.text, /producer\.override\.ssl\.truststore\.type/);
    assert.match(reply.text, /convert it to PEM/);
    assert.ok(!reply.text.includes(WRONG_PASSWORD));
    const validate = await worker.rest('PUT', '/connector-plugins/FileStreamSource/config/validate', {
      'connector.class': 'FileStreamSource',
      file: `${worker.dir}/jks.in`,
      topic: name,
      'producer.override.sasl.mechanism': 'PLAIN',
      'producer.override.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required password="${WRONG_PASSWORD}";`,
    });
    assert.equal(validate.status, 200, validate.text);
    assert.match(validate.text, /producer\.override\.sasl\.jaas\.config/);
    assert.ok(!validate.text.includes(WRONG_PASSWORD), 'validate echoed the password');
    assert.ok(!worker.output.includes(WRONG_PASSWORD), 'the log shows the password');
  });
});
