// ${env:...} and ${file:...:key} placeholders in connector configs: the tasks use the resolved values,
// while the REST API keeps returning the placeholders (secrets never leave the worker).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readDatagenFile } from '../../support/datagen-output.js';
import { createTopic, deleteTopics, topicSize } from '../../support/kafka-test-client.js';
import {
  makeTempDir,
  removeTempDir,
  uniqueName,
  waitFor,
  WorkerProcess,
} from '../../support/worker-process.js';

interface TaskInfo {
  id: { connector: string; task: number };
  config: Record<string, string>;
}

describe('config providers', { timeout: 120_000 }, () => {
  const topic = uniqueName('it-providers');
  const envTopic = uniqueName('it-providers-env');
  let worker: WorkerProcess | null = null;
  let restricted: WorkerProcess | null = null;
  let secretsDir: string | null = null;
  after(async () => {
    await worker?.dispose();
    await restricted?.dispose();
    if (secretsDir !== null) await removeTempDir(secretsDir);
    await deleteTopics([topic, envTopic]);
  });

  test('${env:VAR} and ${file:path:key} are resolved for tasks and kept unresolved in GET config', async () => {
    await createTopic(topic, 1);
    worker = await WorkerProcess.create({
      properties: {
        'config.providers': 'env,file',
        'config.providers.env.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
        'config.providers.file.class': 'org.apache.kafka.common.config.provider.FileConfigProvider',
      },
      env: { SLUICE_IT_MAX_RECORDS: '25' },
    });
    const secrets = join(worker.dir, 'secrets.properties');
    const out = join(worker.dir, 'resolved-out.txt');
    await writeFile(secrets, `topic=${topic}\nsink.file=${out}\n`);
    await worker.start();

    const source = uniqueName('providers-datagen');
    const sink = uniqueName('providers-sink');
    const sourceConfig = {
      'connector.class': 'DatagenSource',
      'kafka.topic': `\${file:${secrets}:topic}`,
      'max.records': '${env:SLUICE_IT_MAX_RECORDS}',
      'tasks.max': '1',
      'record.size.bytes': '0',
    };
    const sinkConfig = {
      'connector.class': 'FileStreamSink',
      topics: `\${file:${secrets}:topic}`,
      file: `\${file:${secrets}:sink.file}`,
    };
    await worker.createConnector(source, sourceConfig);
    await worker.createConnector(sink, sinkConfig);
    await worker.waitForState(source, 'RUNNING', 1);
    await worker.waitForState(sink, 'RUNNING', 1);

    // Resolved values at work: the real topic gets exactly max.records=25 records, the real file gets them.
    await waitFor(async () => (await readDatagenFile(out)).length >= 25, 45_000, `25 lines in ${out}`);
    assert.equal(await topicSize(topic), 25);
    assert.equal((await readDatagenFile(out)).length, 25);

    // Unresolved in the REST API.
    const config = await worker.rest<Record<string, string>>('GET', `/connectors/${source}/config`);
    assert.equal(config.body['kafka.topic'], sourceConfig['kafka.topic']);
    assert.equal(config.body['max.records'], '${env:SLUICE_IT_MAX_RECORDS}');
    const sinkInfo = await worker.rest<{ config: Record<string, string> }>('GET', `/connectors/${sink}`);
    assert.equal(sinkInfo.body.config['file'], sinkConfig.file);
    const tasks = await worker.rest<TaskInfo[]>('GET', `/connectors/${sink}/tasks`);
    assert.equal(tasks.status, 200);
    for (const t of tasks.body) {
      assert.ok(
        !Object.values(t.config).includes(out),
        `task config exposes the resolved file: ${JSON.stringify(t.config)}`,
      );
    }
  });

  test('undeclared providers resolve nothing; allowed.paths keeps a declared one in its directory', async () => {
    await createTopic(envTopic, 1);
    secretsDir = await makeTempDir('providers');
    const allowedDir = join(secretsDir, 'allowed');
    await mkdir(allowedDir);
    const inside = join(allowedDir, 'sink.properties');
    const outside = join(secretsDir, 'outside.properties');
    await writeFile(inside, `file=${join(secretsDir, 'inside-out.txt')}\n`);
    await writeFile(outside, `file=${join(secretsDir, 'outside-out.txt')}\npassword=outside-secret\n`);
    restricted = await WorkerProcess.start({
      properties: { 'config.providers': 'file', 'config.providers.file.param.allowed.paths': allowedDir },
      env: { SLUICE_IT_TOPIC: envTopic },
    });

    // ${env:...} names no declared provider: it is the literal text, which is no topic name, so the
    // connector is refused naming the placeholder, and neither the answer nor the log shows the value.
    const source = uniqueName('providers-undeclared');
    const refusedSource = await restricted.rest<{ message: string }>('POST', '/connectors', {
      name: source,
      config: {
        'connector.class': 'DatagenSource',
        'kafka.topic': '${env:SLUICE_IT_TOPIC}',
        'max.records': '5',
      },
    });
    assert.equal(refusedSource.status, 400, refusedSource.text);
    assert.match(refusedSource.body.message, /kafka\.topic: Invalid value \$\{env:SLUICE_IT_TOPIC\}/);
    assert.ok(
      !refusedSource.text.includes(envTopic),
      `the answer reveals the variable: ${refusedSource.text}`,
    );
    assert.ok(!restricted.output.includes(envTopic), 'the log reveals the variable');
    assert.equal(await topicSize(envTopic), 0);

    // The declared file provider reads under allowed.paths, and refuses a file outside, naming the setting.
    const allowedSink = uniqueName('providers-allowed');
    await restricted.createConnector(allowedSink, {
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: `\${file:${inside}:file}`,
    });
    await restricted.waitForState(allowedSink, 'RUNNING', 1);
    const refused = await restricted.rest<{ message: string }>('POST', '/connectors', {
      name: uniqueName('providers-outside'),
      config: { 'connector.class': 'FileStreamSink', topics: topic, file: `\${file:${outside}:file}` },
    });
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.body.message, /allowed\.paths/);
    assert.ok(!refused.text.includes('outside-secret'));
  });
});
