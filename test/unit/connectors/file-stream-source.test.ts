import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStreamSourcePlugin } from '../../../connectors/file/index.js';
import { Schemas, SluiceError, type SourceRecord, type SourceTask } from '../../../runtime/api/index.js';
import { InMemoryOffsets, sourceConnectorContext, sourceTaskContext } from './fake-contexts.js';

const dirs: string[] = [];
const tasks: SourceTask[] = [];

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-file-source-'));
  dirs.push(dir);
  return join(dir, 'input.txt');
}

async function startTask(
  file: string,
  offsets: InMemoryOffsets,
  extra: Record<string, string> = {},
): Promise<SourceTask> {
  const task = fileStreamSourcePlugin.createTask();
  tasks.push(task);
  await task.start({ file, topic: 'lines', ...extra }, sourceTaskContext(offsets));
  return task;
}

async function pollOnce(task: SourceTask): Promise<SourceRecord[]> {
  return [...((await task.poll()) ?? [])];
}

const values = (records: readonly SourceRecord[]): unknown[] => records.map((r) => r.value);

afterEach(async () => {
  for (const task of tasks.splice(0)) await task.stop();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('FileStreamSource task', () => {
  test('publishes appended lines in order with Connect partition, offset and string schema', async () => {
    const file = await tempFile();
    await writeFile(file, 'alpha\nbeta\n');
    const task = await startTask(file, new InMemoryOffsets());

    const first = await pollOnce(task);
    assert.deepEqual(values(first), ['alpha', 'beta']);
    assert.deepEqual(first[0]?.sourcePartition, { filename: file });
    assert.deepEqual(
      first.map((r) => r.sourceOffset),
      [{ position: 6 }, { position: 11 }],
    );
    assert.equal(first[0]?.topic, 'lines');
    assert.equal(first[0]?.key, null);
    assert.equal(first[0]?.valueSchema, Schemas.STRING);

    await appendFile(file, 'gamma\n');
    assert.deepEqual(values(await pollOnce(task)), ['gamma']);
  });

  test('holds back a partial last line until its terminator arrives', async () => {
    const file = await tempFile();
    await writeFile(file, 'whole\npart');
    const task = await startTask(file, new InMemoryOffsets());

    assert.deepEqual(values(await pollOnce(task)), ['whole']);
    await appendFile(file, 'ial\n');
    const rest = await pollOnce(task);
    assert.deepEqual(values(rest), ['partial']);
    assert.deepEqual(rest[0]?.sourceOffset, { position: 14 });
  });

  test('splits CRLF and lone CR lines and counts offsets in bytes (UTF-8)', async () => {
    const file = await tempFile();
    await writeFile(file, 'héllo\r\nwörld\rend\r');
    const task = await startTask(file, new InMemoryOffsets());

    const records = await pollOnce(task);
    assert.deepEqual(values(records), ['héllo', 'wörld']);
    assert.deepEqual(
      records.map((r) => r.sourceOffset),
      [{ position: 8 }, { position: 15 }],
    );
    // the trailing CR may still be followed by LF, so "end" is not emitted yet
    await appendFile(file, '\n');
    const last = await pollOnce(task);
    assert.deepEqual(values(last), ['end']);
    assert.deepEqual(last[0]?.sourceOffset, { position: 20 });
  });

  test('resumes after the last committed line without repeating or skipping', async () => {
    const file = await tempFile();
    await writeFile(file, 'one\ntwo\nthree\n');
    const offsets = new InMemoryOffsets();
    const firstRun = await startTask(file, offsets, { 'batch.size': '2' });
    const batch = await pollOnce(firstRun);
    assert.deepEqual(values(batch), ['one', 'two']);
    offsets.commitRecords(batch);
    await firstRun.stop();

    await appendFile(file, 'four\n');
    const secondRun = await startTask(file, offsets);
    assert.deepEqual(values(await pollOnce(secondRun)), ['three', 'four']);
  });

  test('batch.size caps the records per poll; the rest come on the next poll', async () => {
    const file = await tempFile();
    await writeFile(file, Array.from({ length: 5 }, (_, i) => `line ${i}\n`).join(''));
    const task = await startTask(file, new InMemoryOffsets(), { 'batch.size': '2' });
    assert.equal((await pollOnce(task)).length, 2);
    assert.equal((await pollOnce(task)).length, 2);
    assert.deepEqual(values(await pollOnce(task)), ['line 4']);
  });

  test('waits for a missing file and reads it once it appears', async () => {
    const file = await tempFile();
    const task = await startTask(file, new InMemoryOffsets());
    assert.equal(await task.poll(), null);
    await writeFile(file, 'late\n');
    assert.deepEqual(values(await pollOnce(task)), ['late']);
  });

  test('an idle poll returns null within about a second, and stop() ends a pending poll promptly', async () => {
    const file = await tempFile();
    await writeFile(file, '');
    const task = await startTask(file, new InMemoryOffsets());

    let started = Date.now();
    assert.equal(await task.poll(), null);
    const idle = Date.now() - started;
    assert.ok(idle >= 500 && idle < 2000, `idle poll took ${idle} ms`);

    started = Date.now();
    const pending = task.poll();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await task.stop();
    assert.equal(await pending, null);
    assert.ok(Date.now() - started < 500, 'poll kept running after stop');
  });

  test('rejects a committed offset whose position is not a byte count', async () => {
    const file = await tempFile();
    await writeFile(file, 'x\n');
    const offsets = new InMemoryOffsets();
    offsets.commit({ filename: file }, { position: 'ten' });
    const task = await startTask(file, offsets);
    await assert.rejects(task.poll(), /incorrect type/);
  });
});

describe('FileStreamSource connector', () => {
  test('requires file and topic, naming both keys', async () => {
    const connector = fileStreamSourcePlugin.createConnector();
    const context = sourceConnectorContext();
    assert.throws(
      () => connector.start({}, context),
      (error: unknown) =>
        error instanceof SluiceError &&
        error.code === 'INVALID_CONFIG' &&
        /"file"/.test(error.message) &&
        /"topic"/.test(error.message),
    );
    assert.throws(() => connector.start({ file: '/tmp/x', topic: 'a,b' }, context), /single topic/);
  });

  test('creates exactly one task whatever tasks.max is', async () => {
    const connector = fileStreamSourcePlugin.createConnector();
    const context = sourceConnectorContext();
    await connector.start({ file: '/tmp/in.txt', topic: 't' }, context);
    const configs = await connector.taskConfigs(4);
    assert.equal(configs.length, 1);
    assert.equal(configs[0]?.file, '/tmp/in.txt');
  });

  test('accepts well-formed altered offsets and rejects malformed ones', async () => {
    const connector = fileStreamSourcePlugin.createConnector();
    const config = { file: '/tmp/in.txt', topic: 't' };
    assert.equal(
      await connector.alterOffsets?.(config, new Map([[{ filename: '/tmp/in.txt' }, { position: 42 }]])),
      true,
    );
    assert.equal(
      await connector.alterOffsets?.(config, new Map([[{ filename: '/tmp/in.txt' }, null]])),
      true,
    );
    assert.throws(
      () => connector.alterOffsets?.(config, new Map([[{ file: '/tmp/in.txt' }, { position: 1 }]])),
      /filename/,
    );
    assert.throws(
      () => connector.alterOffsets?.(config, new Map([[{ filename: '/tmp/in.txt' }, { position: -1 }]])),
      /position/,
    );
  });

  test('plugin descriptor documents every key', () => {
    assert.equal(fileStreamSourcePlugin.className, 'org.apache.kafka.connect.file.FileStreamSourceConnector');
    assert.deepEqual(Object.keys(fileStreamSourcePlugin.configDef).sort(), ['batch.size', 'file', 'topic']);
    for (const key of Object.values(fileStreamSourcePlugin.configDef))
      assert.ok(key.documentation.length > 10);
    assert.equal(fileStreamSourcePlugin.configDef['batch.size']?.default, 2000);
  });
});
