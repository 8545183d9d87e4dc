import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  datagenSourcePlugin,
  DATAGEN_VALUE_SCHEMA,
  TASK_INDEX_KEY,
} from '../../../connectors/datagen/index.js';
import {
  Struct,
  type ConnectorConfig,
  type SourceRecord,
  type SourceTask,
} from '../../../runtime/api/index.js';
import { InMemoryOffsets, sourceConnectorContext, sourceTaskContext } from './fake-contexts.js';

async function taskConfigs(config: ConnectorConfig, maxTasks: number): Promise<ConnectorConfig[]> {
  const connector = datagenSourcePlugin.createConnector();
  await connector.start(config, sourceConnectorContext());
  return [...(await connector.taskConfigs(maxTasks))];
}

async function startTask(config: ConnectorConfig, offsets = new InMemoryOffsets()): Promise<SourceTask> {
  const task = datagenSourcePlugin.createTask();
  await task.start(config, sourceTaskContext(offsets));
  return task;
}

/** Polls until `count` records arrived or a poll came back empty. */
async function drain(task: SourceTask, count = Infinity): Promise<SourceRecord[]> {
  const records: SourceRecord[] = [];
  while (records.length < count) {
    const batch = await task.poll();
    if (batch === null || batch.length === 0) break;
    records.push(...batch);
  }
  return records;
}

function field(record: SourceRecord, name: string): unknown {
  assert.ok(record.value instanceof Struct);
  return record.value.get(name);
}

/** What a schemaless JSON converter would write for the record, to compare runs byte for byte. */
function serialized(record: SourceRecord): string {
  const value = record.value as Struct;
  const fields = Object.fromEntries(
    (value.schema.fields ?? []).map((f) => {
      const v = value.get(f.name);
      return [f.name, v instanceof Date ? v.getTime() : v];
    }),
  );
  return JSON.stringify({
    key: (record.key as Struct).get('id'),
    value: fields,
    ts: record.timestamp,
    p: record.sourcePartition,
    o: record.sourceOffset,
  });
}

const base = { 'kafka.topic': 'demo', 'max.records': '25', 'batch.size': '10' };

describe('Datagen source', () => {
  test('each task emits exactly max.records, ids <task>-<seq>, then returns null', async () => {
    const configs = await taskConfigs(base, 3);
    assert.deepEqual(
      configs.map((c) => c[TASK_INDEX_KEY]),
      ['0', '1', '2'],
    );
    for (const [index, config] of configs.entries()) {
      const task = await startTask(config);
      const records = await drain(task);
      assert.equal(records.length, 25);
      assert.deepEqual(
        records.map((r) => field(r, 'id')),
        Array.from({ length: 25 }, (_, seq) => `${index}-${seq}`),
      );
      assert.deepEqual(records[24]?.sourcePartition, { task: index });
      assert.deepEqual(records[24]?.sourceOffset, { seq: 24 });
      assert.equal(await task.poll(), null);
      await task.stop();
    }
  });

  test('records carry the documented key and value schemas, topic and derived timestamps', async () => {
    const [config] = await taskConfigs(
      { ...base, 'start.timestamp.ms': '1000', 'timestamp.step.ms': '10', 'record.timestamp': 'value' },
      1,
    );
    const [first, second] = await drain(await startTask(config!), 2);
    assert.equal(first?.topic, 'demo');
    assert.equal(first?.valueSchema?.name, 'sluice.datagen.Value');
    assert.equal(first?.keySchema?.name, 'sluice.datagen.Key');
    assert.equal((first?.key as Struct).get('id'), '0-0');
    assert.equal(field(first!, 'task'), 0);
    assert.equal(field(second!, 'seq'), 1);
    assert.deepEqual(field(second!, 'ts'), new Date(1010));
    assert.equal(second?.timestamp, 1010);
    (first?.value as Struct).validate();
    assert.equal((first?.value as Struct).schema, DATAGEN_VALUE_SCHEMA);
  });

  test('by default the Kafka record timestamp is left to produce time: old timestamps would meet broker retention', async () => {
    const [config] = await taskConfigs({ ...base, 'start.timestamp.ms': '1000' }, 1);
    const [first] = await drain(await startTask(config!), 1);
    assert.equal(first?.timestamp, null);
    assert.deepEqual(field(first!, 'ts'), new Date(1000));
  });

  test('the same config produces identical records in two runs', async () => {
    const [config] = await taskConfigs({ ...base, 'record.size.bytes': '300' }, 1);
    const run1 = (await drain(await startTask(config!))).map(serialized);
    const run2 = (await drain(await startTask(config!))).map(serialized);
    assert.equal(run1.length, 25);
    assert.deepEqual(run1, run2);
    const payloads = new Set(run1.map((json) => JSON.parse(json).value.payload));
    assert.equal(payloads.size, 25, 'payloads should vary between records');
  });

  test('record.size.bytes sets the schemaless JSON size of the value', async () => {
    const [config] = await taskConfigs({ ...base, 'record.size.bytes': '512' }, 1);
    for (const record of await drain(await startTask(config!))) {
      const json = serialized(record);
      const valueJson = JSON.stringify(JSON.parse(json).value);
      assert.equal(Buffer.byteLength(valueJson), 512);
    }
  });

  test('a restarted task resumes after its last committed seq without gaps or repeats', async () => {
    const config = (await taskConfigs(base, 2))[1];
    const offsets = new InMemoryOffsets();
    const first = await startTask(config!, offsets);
    const firstBatch = await drain(first, 10);
    offsets.commitRecords(firstBatch.slice(0, 7));
    await first.stop();

    const second = await startTask(config!, offsets);
    const rest = await drain(second);
    assert.deepEqual(
      rest.map((r) => field(r, 'seq')),
      Array.from({ length: 18 }, (_, i) => i + 7),
    );
    assert.equal(field(rest[0]!, 'id'), '1-7');
  });

  test('batch.size caps each poll', async () => {
    const [config] = await taskConfigs({ ...base, 'batch.size': '4' }, 1);
    const task = await startTask(config!);
    assert.equal((await task.poll())?.length, 4);
  });

  test('records.per.second limits how many records a task produces', async () => {
    const [config] = await taskConfigs({ 'kafka.topic': 'demo', 'records.per.second': '40' }, 1);
    const task = await startTask(config!);
    let count = 0;
    const until = Date.now() + 1000;
    while (Date.now() < until) count += (await task.poll())?.length ?? 0;
    await task.stop();
    assert.ok(count >= 20 && count <= 60, `expected about 40 records in one second, got ${count}`);
  });

  test('stop() ends an idle poll promptly', async () => {
    const [config] = await taskConfigs({ 'kafka.topic': 'demo', 'records.per.second': '0.5' }, 1);
    const task = await startTask(config!);
    await task.poll();
    const started = Date.now();
    const pending = task.poll();
    setTimeout(() => void task.stop(), 20);
    assert.equal(await pending, null);
    assert.ok(Date.now() - started < 500);
  });

  test('invalid settings are rejected naming the key', async () => {
    await assert.rejects(taskConfigs({}, 1), /"kafka.topic"/);
    await assert.rejects(
      taskConfigs({ 'kafka.topic': 't', 'records.per.second': '0' }, 1),
      /records.per.second/,
    );
    await assert.rejects(taskConfigs({ 'kafka.topic': 't', 'max.records': '-2' }, 1), /max.records/);
  });

  test('alterOffsets accepts {task}/{seq} offsets and rejects others', () => {
    const connector = datagenSourcePlugin.createConnector();
    assert.equal(connector.alterOffsets?.(base, new Map([[{ task: 0 }, { seq: 5 }]])), true);
    assert.throws(() => connector.alterOffsets?.(base, new Map([[{ task: 'a' }, { seq: 5 }]])), /task/);
    assert.throws(() => connector.alterOffsets?.(base, new Map([[{ task: 0 }, { position: 5 }]])), /seq/);
  });

  test('plugin descriptor documents every key with importance', () => {
    assert.equal(datagenSourcePlugin.className, 'sluice.connect.datagen.DatagenSourceConnector');
    assert.deepEqual([...datagenSourcePlugin.aliases], ['DatagenSource', 'datagen', 'Datagen']);
    for (const key of [
      'kafka.topic',
      'max.records',
      'records.per.second',
      'record.size.bytes',
      'batch.size',
      'start.timestamp.ms',
    ]) {
      const def = datagenSourcePlugin.configDef[key];
      assert.ok(def !== undefined && def.documentation.length > 10, key);
    }
    assert.equal(datagenSourcePlugin.configDef['kafka.topic']?.default, undefined);
  });
});
