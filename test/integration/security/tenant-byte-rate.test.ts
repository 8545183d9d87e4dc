// A tenant with byte-rate quotas: its two source tasks on one worker share the produce quota, and the
// bytes that reach its topic over a 10 s window stay within ±10 % of it; its sink reads a full topic at
// its consume quota ±10 %. The worker also sets the rates as Kafka client quotas on each task's client
// id (the test brokers let the worker's user do so).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP, kafkaBrokers } from '../../support/endpoints.js';
import { Kafka, logLevel } from 'kafkajs';
import { createTopic, deleteTopics, TopicTail } from '../../support/kafka-test-client.js';
import { basicAuth, type HttpsClient } from '../../support/https-rest.js';
import { TestCa } from '../../support/rest-certificates.js';
import {
  freePort,
  makeTempDir,
  removeTempDir,
  sleep,
  uniqueName,
  waitFor,
  writeProperties,
} from '../../support/worker-process.js';
import { hashPassword } from '../../../runtime/security/password-hash.js';
import { HttpsWorker } from './https-worker.js';

const DATAGEN = 'sluice.connect.datagen.DatagenSourceConnector';
const BYTES_PER_SECOND = 40_000;
const WINDOW_MS = 10_000;
const CONSUME_BYTES_PER_SECOND = 20_000;
const VALUE_BYTES = 500;

describe('a tenant’s byte-rate quotas', { timeout: 150_000 }, () => {
  const tenant = uniqueName('quota').replace(/[^A-Za-z0-9]/g, '');
  const connector = `${tenant}.gen`;
  const topic = `${tenant}.bytes`;
  const input = `${tenant}.in`;
  let dir = '';
  let worker: HttpsWorker;
  let client: HttpsClient;
  let tail: TopicTail | undefined;

  before(async () => {
    dir = await makeTempDir('tenant-byte-rate');
    const ca = await TestCa.create(dir);
    const server = await ca.issue('worker', '/CN=127.0.0.1');
    const users = join(dir, 'users');
    await writeFile(users, `alice:${hashPassword('alice-pw')}\n`);
    const tenantsFile = join(dir, 'tenants.json');
    await writeFile(
      tenantsFile,
      JSON.stringify({
        principals: { alice: { tenant, role: 'operator' } },
        tenants: {
          [tenant]: {
            plugins: ['DatagenSource', 'FileStreamSink'],
            produceBytesPerSecond: BYTES_PER_SECOND,
            consumeBytesPerSecond: CONSUME_BYTES_PER_SECOND,
          },
        },
      }),
    );
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
    client = { ca: ca.certFile, authorization: basicAuth('alice', 'alice-pw') };
    worker = new HttpsWorker('standalone', port, workerFile, { ca: ca.certFile });
    await worker.start();
  });

  after(async () => {
    await tail?.stop().catch(() => undefined);
    await worker?.dispose();
    await deleteTopics([topic, input]).catch(() => undefined);
    await removeTempDir(dir);
  });

  test('two unbounded datagen tasks together stay within the tenant’s byte rate ±10 % over 10 s', async () => {
    const created = await worker.rest(client, 'POST', '/connectors', {
      name: connector,
      config: {
        'connector.class': DATAGEN,
        'kafka.topic': topic,
        'tasks.max': '2',
        // Unbounded: without the quota each task produces as fast as Kafka takes it (MB/s).
        'record.size.bytes': '500',
        'batch.size': '20',
      },
    });
    assert.equal(created.status, 201, created.text);
    tail = await TopicTail.start(topic);
    const reader = tail;
    const bytesRead = (): number =>
      reader.messages.reduce(
        (sum, m) =>
          sum +
          (m.key?.length ?? 0) +
          (m.value?.length ?? 0) +
          Object.entries(m.headers).reduce((h, [k, v]) => h + Buffer.byteLength(k) + Buffer.byteLength(v), 0),
        0,
      );
    await waitFor(() => reader.messages.length > 0, 30_000, `records on ${topic}`);
    // Past the first second's burst and the consumer's start, the topic grows at the steady rate.
    await sleep(3_000);
    const startBytes = bytesRead();
    const started = performance.now();
    await sleep(WINDOW_MS);
    const elapsedS = (performance.now() - started) / 1000;
    const rate = (bytesRead() - startBytes) / elapsedS;
    console.log(
      `tenant byte rate over ${elapsedS.toFixed(1)} s: ${rate.toFixed(0)} B/s (quota ${BYTES_PER_SECOND} B/s, ${((rate / BYTES_PER_SECOND - 1) * 100).toFixed(1)} %)`,
    );
    assert.ok(
      Math.abs(rate / BYTES_PER_SECOND - 1) <= 0.1,
      `${rate.toFixed(0)} B/s is not within 10 % of ${BYTES_PER_SECOND} B/s`,
    );
    const status = await worker.rest<{ tasks: { state: string }[] }>(
      client,
      'GET',
      `/connectors/${encodeURIComponent(connector)}/status`,
    );
    assert.deepEqual(
      status.body.tasks.map((t) => t.state),
      ['RUNNING', 'RUNNING'],
    );
  });

  test('a sink reading a full topic consumes at the tenant’s consume rate ±10 % over 10 s', async () => {
    // 50 s of data at the quota: the sink is never short of records during the window.
    await createTopic(input, 1);
    // Small record batches (as a steady producer writes them), so no single fetch holds many seconds of quota.
    const value = 'v'.repeat(VALUE_BYTES);
    const producer = new Kafka({ brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    try {
      for (let batch = 0; batch < 100; batch++)
        await producer.send({
          topic: input,
          acks: -1,
          messages: Array.from({ length: 20 }, () => ({ key: null, value, partition: 0 })),
        });
    } finally {
      await producer.disconnect();
    }
    const out = join(dir, 'sink.txt');
    const created = await worker.rest(client, 'POST', '/connectors', {
      name: `${tenant}.sink`,
      config: {
        'connector.class': 'FileStreamSink',
        topics: input,
        file: out,
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      },
    });
    assert.equal(created.status, 201, created.text);
    // Each record is one line: its value and a newline.
    const consumed = async (): Promise<number> =>
      ((await stat(out).catch(() => ({ size: 0 }))).size / (VALUE_BYTES + 1)) * VALUE_BYTES;
    await waitFor(
      async () => (await consumed()) > 0,
      30_000,
      `lines in ${out}: ${worker.output
        .split('\n')
        .filter((l) => l.includes('.sink'))
        .join('\n')}`,
    );
    await sleep(3_000);
    const startBytes = await consumed();
    const started = performance.now();
    await sleep(WINDOW_MS);
    const elapsedS = (performance.now() - started) / 1000;
    const rate = ((await consumed()) - startBytes) / elapsedS;
    console.log(
      `tenant consume rate over ${elapsedS.toFixed(1)} s: ${rate.toFixed(0)} B/s (quota ${CONSUME_BYTES_PER_SECOND} B/s, ${((rate / CONSUME_BYTES_PER_SECOND - 1) * 100).toFixed(1)} %)`,
    );
    assert.ok(
      Math.abs(rate / CONSUME_BYTES_PER_SECOND - 1) <= 0.1,
      `${rate.toFixed(0)} B/s is not within 10 % of ${CONSUME_BYTES_PER_SECOND} B/s`,
    );
  });

  test('each task’s client id also gets the rate as a Kafka client quota', async () => {
    const expected = [
      `produce ${BYTES_PER_SECOND * 2} B/s set on client id connector-producer-${connector}-0`,
      `produce ${BYTES_PER_SECOND * 2} B/s set on client id connector-producer-${connector}-1`,
      `consume ${CONSUME_BYTES_PER_SECOND * 2} B/s set on client id connector-consumer-${tenant}.sink-0`,
    ];
    for (const line of expected)
      await waitFor(
        () => worker.output.includes(`Kafka client quota ${line}`),
        30_000,
        `the Kafka quota ${line}: ${worker.output
          .split('\n')
          .filter((l) => l.includes('quota'))
          .join('\n')}`,
      );
  });
});
