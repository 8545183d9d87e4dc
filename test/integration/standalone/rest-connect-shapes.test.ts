// The bodies Kafka Connect 4.x tooling reads, against a live standalone worker (issue 12): plugin class
// names, the config and validate shapes, versions in status, task.class, GET /'s commit, and the client
// ids Connect gives a task's Kafka clients.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createTopic, deleteTopics, groupMemberClientIds, produce } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

interface ConfigKeyInfo {
  name: string;
  group: string | null;
  order_in_group: number;
  required: boolean;
}
interface ConfigInfos {
  name: string;
  error_count: number;
  configs: {
    definition: ConfigKeyInfo;
    value: { name: string; errors: string[]; recommended_values: string[] };
  }[];
}

describe('Connect 4.x REST shapes against a live worker', { timeout: 180_000 }, () => {
  let worker: WorkerProcess;
  const topic = uniqueName('it-shapes');
  const sink = uniqueName('shapes-sink');

  before(async () => {
    await createTopic(topic, 1);
    worker = await WorkerProcess.start();
  });
  after(async () => {
    await worker?.dispose();
    await deleteTopics([topic]);
  });

  test('GET / reports version, a 16-hex commit and the Kafka cluster id', async () => {
    const root = await waitFor(
      async () => {
        const r = await worker.rest<{ version: string; commit: string; kafka_cluster_id: string | null }>(
          'GET',
          '/',
        );
        return r.body.kafka_cluster_id ? r.body : false;
      },
      20_000,
      'kafka_cluster_id',
    );
    assert.deepEqual(Object.keys(root).sort(), ['commit', 'kafka_cluster_id', 'version']);
    assert.match(root.commit, /^[0-9a-f]{16}$/);
    assert.match(root.version, /^\d+\.\d+\.\d+/);
  });

  test("GET /connector-plugins lists Connect's class names; short names still work on input", async () => {
    const plugins = await worker.rest<{ class: string; type: string; version: string }[]>(
      'GET',
      '/connector-plugins',
    );
    assert.equal(plugins.status, 200);
    const byClass = new Map(plugins.body.map((p) => [p.class, p]));
    for (const [cls, type] of [
      ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'sink'],
      ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'source'],
      ['org.apache.kafka.connect.mirror.MirrorSourceConnector', 'source'],
      ['io.debezium.connector.postgresql.PostgresConnector', 'source'],
      ['io.confluent.connect.s3.S3SinkConnector', 'sink'],
    ]) {
      assert.equal(byClass.get(cls!)?.type, type, `${cls} in ${[...byClass.keys()].join(', ')}`);
      assert.ok(byClass.get(cls!)?.version, `${cls} has a version`);
    }
    assert.ok(!byClass.has('FileStreamSink'), 'no short names listed');
    const all = await worker.rest<{ class: string; type: string }[]>(
      'GET',
      '/connector-plugins?connectorsOnly=false',
    );
    assert.ok(all.body.some((p) => p.class === 'org.apache.kafka.connect.json.JsonConverter'));
  });

  test('GET /connector-plugins/{p}/config: common keys and the plugin keys, each with group and order_in_group', async () => {
    const keys = await worker.rest<ConfigKeyInfo[]>('GET', '/connector-plugins/FileStreamSink/config');
    assert.equal(keys.status, 200, keys.text);
    const names = keys.body.map((k) => k.name);
    for (const key of [
      'name',
      'connector.class',
      'connector.plugin.version',
      'tasks.max',
      'tasks.max.enforce',
      'key.converter',
      'header.converter.plugin.version',
      'transforms',
      'errors.tolerance',
      'errors.deadletterqueue.topic.name',
      'topics',
      'topics.regex',
      'file',
    ])
      assert.ok(names.includes(key), `${key} missing from ${names.join(', ')}`);
    for (const k of keys.body) {
      assert.ok('group' in k && 'order_in_group' in k, `${k.name}: ${JSON.stringify(k)}`);
      assert.ok(!('order' in k), `${k.name} has Connect's order_in_group, not order`);
    }
    assert.equal(keys.body.find((k) => k.name === 'file')?.required, false);
  });

  test('PUT .../config/validate: name is the connector.class given, order_in_group, recommended values, file optional', async () => {
    const reply = await worker.rest<ConfigInfos>('PUT', '/connector-plugins/FileStreamSink/config/validate', {
      name: 'validate-only',
      'connector.class': 'FileStreamSink',
      topics: topic,
    });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.body.name, 'FileStreamSink');
    assert.equal(reply.body.error_count, 0, reply.text);
    const entry = (name: string) => reply.body.configs.find((c) => c.value.name === name);
    for (const key of [
      'connector.plugin.version',
      'key.converter.plugin.version',
      'value.converter.plugin.version',
      'header.converter.plugin.version',
      'tasks.max.enforce',
    ])
      assert.ok(entry(key), `${key} missing from the validate response`);
    assert.equal(entry('tasks.max')?.definition.order_in_group, 4);
    assert.ok(
      entry('value.converter')?.value.recommended_values.includes(
        'org.apache.kafka.connect.json.JsonConverter',
      ),
    );
    assert.ok(
      entry('header.converter')?.value.recommended_values.includes(
        'org.apache.kafka.connect.storage.SimpleHeaderConverter',
      ),
    );
  });

  test('POST /connectors lists tasks; status has versions; tasks carry task.class; the consumer is connector-consumer-<c>-<t>', async () => {
    const out = join(worker.dir, 'shapes.txt');
    const created = await worker.rest<{ name: string; tasks: unknown[]; config: Record<string, string> }>(
      'POST',
      '/connectors',
      { name: sink, config: { 'connector.class': 'FileStreamSink', topics: topic, file: out } },
    );
    assert.equal(created.status, 201, created.text);
    // As Connect's standalone herder answers: the tasks it generated on the way.
    assert.deepEqual(created.body.tasks, [{ connector: sink, task: 0 }]);
    assert.equal(created.body.config['connector.class'], 'FileStreamSink', 'connector.class as written');

    const status = await worker.waitForState(sink, 'RUNNING', 1);
    assert.equal(status.connector.version, '0.1.0');
    assert.equal(status.tasks[0]?.version, '0.1.0');

    const tasks = await worker.rest<{ id: { task: number }; config: Record<string, string> }[]>(
      'GET',
      `/connectors/${sink}/tasks`,
    );
    assert.equal(tasks.body[0]?.config['task.class'], 'org.apache.kafka.connect.file.FileStreamSinkTask');
    const info = await worker.rest<{ config: Record<string, string> }>('GET', `/connectors/${sink}`);
    assert.equal(info.body.config['connector.class'], 'FileStreamSink');

    await produce(topic, [{ value: 'hello' }]);
    const ids = await waitFor(
      async () => {
        const members = await groupMemberClientIds(`connect-${sink}`);
        return members.length > 0 ? members : false;
      },
      30_000,
      'a member in the sink group',
    );
    assert.deepEqual(ids, [`connector-consumer-${sink}-0`]);
  });
});
