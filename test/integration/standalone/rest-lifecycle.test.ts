// The Kafka Connect REST API against a live standalone worker and the real Kafka: each call's status
// code AND its effect (states, records flowing or not, configs, topics, plugins, validation).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readDatagenFile } from '../../support/datagen-output.js';
import { createTopic, deleteTopics, topicSize } from '../../support/kafka-test-client.js';
import {
  sleep,
  uniqueName,
  waitFor,
  WorkerProcess,
  type ConnectorStatus,
} from '../../support/worker-process.js';

interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: { connector: string; task: number }[];
  type: string;
}
interface ConfigInfos {
  name: string;
  error_count: number;
  configs: {
    definition?: { name: string };
    value: { name: string; value: string | null; errors: string[] };
  }[];
}

describe('REST lifecycle against a live worker', { timeout: 240_000 }, () => {
  let worker: WorkerProcess;
  const topic = uniqueName('it-rest');
  const source = uniqueName('rest-datagen');
  const sink = uniqueName('rest-sink');
  let out = '';
  const sourceConfig = {
    'connector.class': 'DatagenSource',
    'kafka.topic': topic,
    'tasks.max': '2',
    'records.per.second': '50',
    'batch.size': '10',
    'record.size.bytes': '0',
  };

  before(async () => {
    await createTopic(topic, 1);
    worker = await WorkerProcess.start();
    out = join(worker.dir, 'sink.txt');
  });
  after(async () => {
    await worker?.dispose();
    await deleteTopics([topic]);
  });

  const growth = async (ms: number): Promise<number> => {
    const before = await topicSize(topic);
    await sleep(ms);
    return (await topicSize(topic)) - before;
  };

  test('POST /connectors creates (201), a second POST is a conflict (409), GET shows the info', async () => {
    const created = await worker.rest<ConnectorInfo>('POST', '/connectors', {
      name: source,
      config: sourceConfig,
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.name, source);
    assert.equal(created.body.config['kafka.topic'], topic);
    assert.equal(created.body.config['name'], source);
    assert.equal(created.body.type, 'source');

    const duplicate = await worker.rest<{ error_code: number; message: string }>('POST', '/connectors', {
      name: source,
      config: sourceConfig,
    });
    assert.equal(duplicate.status, 409);
    assert.equal(duplicate.body.error_code, 409);
    assert.match(duplicate.body.message, new RegExp(source));

    await worker.waitForState(source, 'RUNNING', 2);
    const info = await worker.rest<ConnectorInfo>('GET', `/connectors/${source}`);
    assert.equal(info.status, 200);
    assert.deepEqual(info.body.tasks, [
      { connector: source, task: 0 },
      { connector: source, task: 1 },
    ]);
    assert.equal(info.body.type, 'source');

    const tasks = await worker.rest<
      { id: { connector: string; task: number }; config: Record<string, string> }[]
    >('GET', `/connectors/${source}/tasks`);
    assert.equal(tasks.status, 200);
    assert.equal(tasks.body.length, 2);
    assert.deepEqual(
      tasks.body.map((t) => t.id),
      [
        { connector: source, task: 0 },
        { connector: source, task: 1 },
      ],
    );
    assert.equal(tasks.body[0]!.config['kafka.topic'], topic);
    await waitFor(async () => (await topicSize(topic)) > 0, 20_000, 'datagen records in the topic');
  });

  test('PUT /connectors/{c}/config updates (200) and creates (201); PATCH merges', async () => {
    const updated = await worker.rest<ConnectorInfo>('PUT', `/connectors/${source}/config`, {
      ...sourceConfig,
      'records.per.second': '100',
    });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.body.config['records.per.second'], '100');
    const config = await worker.rest<Record<string, string>>('GET', `/connectors/${source}/config`);
    assert.equal(config.body['records.per.second'], '100');
    await worker.waitForState(source, 'RUNNING', 2);

    const created = await worker.rest<ConnectorInfo>('PUT', `/connectors/${sink}/config`, {
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: out,
      'errors.log.enable': 'true',
    });
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.type, 'sink');
    await worker.waitForState(sink, 'RUNNING', 1);

    const patched = await worker.rest<ConnectorInfo>('PATCH', `/connectors/${sink}/config`, {
      'errors.log.enable': null,
      'errors.log.include.messages': 'false',
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.config['errors.log.enable'], undefined);
    assert.equal(patched.body.config['errors.log.include.messages'], 'false');
    assert.equal(patched.body.config['file'], out, 'PATCH dropped keys it did not mention');
    const after = await worker.rest<Record<string, string>>('GET', `/connectors/${sink}/config`);
    assert.deepEqual(after.body, patched.body.config);
    await worker.waitForState(sink, 'RUNNING', 1);
    await waitFor(async () => (await readDatagenFile(out)).length > 0, 30_000, 'records in the sink file');
  });

  test('pause (202) stops the flow; resume (202) restarts it', async () => {
    const paused = await worker.rest('PUT', `/connectors/${source}/pause`);
    assert.equal(paused.status, 202);
    await worker.waitForState(source, 'PAUSED', 2);
    await sleep(1_000); // records already handed to the producer may still land
    assert.equal(await growth(3_000), 0, 'records were produced while PAUSED');

    const resumed = await worker.rest('PUT', `/connectors/${source}/resume`);
    assert.equal(resumed.status, 202);
    await worker.waitForState(source, 'RUNNING', 2);
    await waitFor(async () => (await growth(1_000)) > 0, 20_000, 'records flowing again after resume');
  });

  test('GET /connectors/{c}/topics and ?expand=status&expand=info', async () => {
    const topics = await worker.rest<Record<string, { topics: string[] }>>(
      'GET',
      `/connectors/${source}/topics`,
    );
    assert.equal(topics.status, 200);
    assert.deepEqual(topics.body, { [source]: { topics: [topic] } });
    const sinkTopics = await worker.rest<Record<string, { topics: string[] }>>(
      'GET',
      `/connectors/${sink}/topics`,
    );
    assert.deepEqual(sinkTopics.body, { [sink]: { topics: [topic] } });

    const expanded = await worker.rest<Record<string, { status: ConnectorStatus; info: ConnectorInfo }>>(
      'GET',
      '/connectors?expand=status&expand=info',
    );
    assert.equal(expanded.status, 200);
    assert.equal(expanded.body[source]?.status.connector.state, 'RUNNING');
    assert.equal(expanded.body[source]?.status.tasks.length, 2);
    assert.equal(expanded.body[source]?.info.config['kafka.topic'], topic);
    assert.equal(expanded.body[sink]?.info.type, 'sink');
    assert.equal(expanded.body[sink]?.status.type, 'sink');
  });

  test('GET /connector-plugins and PUT /connector-plugins/{p}/config/validate', async () => {
    const plugins = await worker.rest<{ class: string; type: string; version: string }[]>(
      'GET',
      '/connector-plugins',
    );
    assert.equal(plugins.status, 200);
    const classes = plugins.body.map((p) => p.class);
    for (const c of [
      'org.apache.kafka.connect.file.FileStreamSourceConnector',
      'org.apache.kafka.connect.file.FileStreamSinkConnector',
      'sluice.connect.datagen.DatagenSourceConnector',
    ])
      assert.ok(classes.includes(c), `${c} missing from ${classes.join(', ')}`);
    assert.equal(
      plugins.body.find((p) => p.class === 'org.apache.kafka.connect.file.FileStreamSinkConnector')?.type,
      'sink',
    );

    const bad = await worker.rest<ConfigInfos>('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      name: 'validate-only',
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: out,
      'tasks.max': 'abc',
    });
    assert.equal(bad.status, 200, bad.text);
    assert.ok(bad.body.error_count >= 1);
    const tasksMax = bad.body.configs.find((c) => c.value.name === 'tasks.max');
    assert.ok(tasksMax && tasksMax.value.errors.length > 0, `no error on tasks.max: ${bad.text}`);
    const others = bad.body.configs.filter((c) => c.value.name !== 'tasks.max' && c.value.errors.length > 0);
    assert.deepEqual(
      others.map((c) => c.value.name),
      [],
    );

    const good = await worker.rest<ConfigInfos>('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      name: 'validate-only',
      'connector.class': 'FileStreamSink',
      topics: topic,
      file: out,
    });
    assert.equal(good.status, 200);
    assert.equal(good.body.error_count, 0, good.text);
  });

  test('restart with ?includeTasks=true (202 + status), plain restart (204), task restart (204)', async () => {
    const withTasks = await worker.rest<ConnectorStatus>(
      'POST',
      `/connectors/${source}/restart?includeTasks=true`,
    );
    assert.equal(withTasks.status, 202, withTasks.text);
    assert.equal(withTasks.body.name, source);
    assert.equal(withTasks.body.connector.state, 'RESTARTING');
    assert.deepEqual(
      withTasks.body.tasks.map((t) => t.state),
      ['RESTARTING', 'RESTARTING'],
    );
    await worker.waitForState(source, 'RUNNING', 2);

    const plain = await worker.rest('POST', `/connectors/${source}/restart`);
    assert.equal(plain.status, 204);
    assert.equal(plain.text, '');
    await worker.waitForState(source, 'RUNNING', 2);

    const task = await worker.rest('POST', `/connectors/${source}/tasks/1/restart`);
    assert.equal(task.status, 204);
    await worker.waitForState(source, 'RUNNING', 2);
    const taskStatus = await worker.rest<{ id: number; state: string }>(
      'GET',
      `/connectors/${source}/tasks/1/status`,
    );
    assert.equal(taskStatus.status, 200);
    assert.equal(taskStatus.body.state, 'RUNNING');
    await waitFor(async () => (await growth(1_000)) > 0, 20_000, 'records flowing after restarts');
  });

  test('stop (204): STOPPED with no tasks and no records; resume brings it back', async () => {
    const stopped = await worker.rest('PUT', `/connectors/${source}/stop`);
    assert.equal(stopped.status, 204);
    const status = await waitFor(
      async () => {
        const s = await worker.status(source);
        return s.connector.state === 'STOPPED' && s.tasks.length === 0 ? s : false;
      },
      30_000,
      'STOPPED with no tasks',
    );
    assert.deepEqual(status.tasks, []);
    const info = await worker.rest<ConnectorInfo>('GET', `/connectors/${source}`);
    assert.deepEqual(info.body.tasks, []);
    await sleep(1_000);
    assert.equal(await growth(2_000), 0, 'records were produced while STOPPED');

    assert.equal((await worker.rest('PUT', `/connectors/${source}/resume`)).status, 202);
    await worker.waitForState(source, 'RUNNING', 2);
  });

  test('DELETE /connectors/{c} (204), then 404 everywhere', async () => {
    const deleted = await worker.rest('DELETE', `/connectors/${source}`);
    assert.equal(deleted.status, 204);
    const gone = await worker.rest<{ error_code: number; message: string }>('GET', `/connectors/${source}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error_code, 404);
    assert.equal((await worker.rest('GET', `/connectors/${source}/status`)).status, 404);
    const list = await worker.rest<string[]>('GET', '/connectors');
    assert.ok(!list.body.includes(source));
    assert.ok(list.body.includes(sink));
    await sleep(1_000);
    assert.equal(await growth(2_000), 0, 'a deleted connector still produces');
    assert.equal((await worker.rest('DELETE', `/connectors/${sink}`)).status, 204);
  });
});
