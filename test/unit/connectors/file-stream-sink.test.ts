import { describe, test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStreamSinkPlugin } from '../../../connectors/file/index.js';
import {
  SchemaBuilder,
  Schemas,
  Struct,
  type SinkRecord,
  type SinkTask,
} from '../../../runtime/api/index.js';
import { sinkTaskContext, silentLogger } from './fake-contexts.js';

const dirs: string[] = [];
const tasks: SinkTask[] = [];

async function tempFile(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-file-sink-'));
  dirs.push(dir);
  return join(dir, 'out.txt');
}

async function startTask(file: string, taskId = 0): Promise<SinkTask> {
  const task = fileStreamSinkPlugin.createTask();
  tasks.push(task);
  await task.start({ file }, sinkTaskContext(taskId));
  return task;
}

let nextOffset = 0;
function record(value: unknown): SinkRecord {
  const offset = nextOffset++;
  return {
    topic: 't',
    kafkaPartition: 0,
    kafkaOffset: offset,
    keySchema: null,
    key: null,
    valueSchema: null,
    value,
    timestamp: null,
    headers: [],
    timestampType: 'CreateTime',
    originalTopic: 't',
    originalKafkaPartition: 0,
    originalKafkaOffset: offset,
  };
}

afterEach(async () => {
  for (const task of tasks.splice(0)) await task.stop();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('FileStreamSink task', () => {
  test('writes one line per record value and flush leaves them on disk', async () => {
    const file = await tempFile();
    const task = await startTask(file);
    await task.put([record('first'), record('second')]);
    await task.put([record('third')]);
    await task.flush?.([{ topic: 't', partition: 0, offset: 3 }]);
    assert.equal(await readFile(file, 'utf8'), 'first\nsecond\nthird\n');
  });

  test('appends to an existing file instead of truncating it', async () => {
    const file = await tempFile();
    await writeFile(file, 'kept\n');
    const task = await startTask(file);
    await task.put([record('added')]);
    await task.flush?.([]);
    assert.equal(await readFile(file, 'utf8'), 'kept\nadded\n');
  });

  test('renders non-string values: null, numbers, Struct, bytes as base64, objects as JSON', async () => {
    const file = await tempFile();
    const task = await startTask(file);
    const schema = SchemaBuilder.struct()
      .name('s')
      .field('id', Schemas.INT32)
      .field('name', Schemas.STRING)
      .build();
    await task.put([
      record(null),
      record(42),
      record(new Struct(schema).put('id', 7).put('name', 'x')),
      record(Buffer.from('hi')),
      record({ a: 1, b: [true, null], raw: Buffer.from('hi') }),
    ]);
    await task.flush?.([]);
    assert.deepEqual((await readFile(file, 'utf8')).split('\n'), [
      'null',
      '42',
      'Struct{id=7,name=x}',
      'aGk=',
      '{"a":1,"b":[true,null],"raw":"aGk="}',
      '',
    ]);
  });

  test('several tasks writing to one file keep every line whole', async () => {
    const file = await tempFile();
    const writers = await Promise.all([0, 1, 2].map((id) => startTask(file, id)));
    const longValue = (writer: number, i: number): string => `${writer}:${i}:${'x'.repeat(5000)}`;
    await Promise.all(
      writers.map(async (task, writer) => {
        for (let batch = 0; batch < 10; batch++) {
          await task.put(Array.from({ length: 20 }, (_, i) => record(longValue(writer, batch * 20 + i))));
        }
      }),
    );
    await Promise.all(writers.map((task) => task.flush?.([])));
    const lines = (await readFile(file, 'utf8')).split('\n').slice(0, -1);
    assert.equal(lines.length, 600);
    for (const line of lines) assert.match(line, /^\d:\d+:x{5000}$/);
    for (const writer of [0, 1, 2]) {
      const own = lines.filter((l) => l.startsWith(`${writer}:`)).map((l) => Number(l.split(':')[1]));
      assert.deepEqual(
        own,
        Array.from({ length: 200 }, (_, i) => i),
        `writer ${writer} lines out of order`,
      );
    }
  });

  test('a task restarted on the same file keeps appending', async () => {
    const file = await tempFile();
    const first = await startTask(file);
    await first.put([record('a')]);
    await first.flush?.([]);
    await first.stop();
    const second = await startTask(file);
    await second.put([record('b')]);
    await second.flush?.([]);
    assert.equal(await readFile(file, 'utf8'), 'a\nb\n');
  });

  test('fails to start with a clear message when the file cannot be created', async () => {
    const task = fileStreamSinkPlugin.createTask();
    await assert.rejects(
      Promise.resolve(task.start({ file: '/nonexistent-dir-sluice/out.txt' }, sinkTaskContext())),
      /Couldn't find or create file '\/nonexistent-dir-sluice\/out.txt'/,
    );
  });
});

describe('FileStreamSink exactly-once', () => {
  function at(offset: number, value: string, partition = 0): SinkRecord {
    return {
      ...record(value),
      kafkaPartition: partition,
      kafkaOffset: offset,
      originalKafkaPartition: partition,
      originalKafkaOffset: offset,
    };
  }

  async function startWith(file: string, config: Record<string, string> = {}) {
    const seeks: string[] = [];
    const task = fileStreamSinkPlugin.createTask();
    tasks.push(task);
    await task.start(
      { file, ...config },
      {
        ...sinkTaskContext(),
        offset: (tp, offset) => void seeks.push(`${tp.topic}-${tp.partition}@${offset}`),
      },
    );
    return { task, seeks };
  }

  test('a restart cuts the file back to the last flush and resumes each partition after its last committed line', async () => {
    const file = await tempFile();
    const first = await startWith(file);
    await first.task.open?.([{ topic: 't', partition: 0 }]);
    await first.task.put([at(0, 'a'), at(1, 'b'), at(0, 'x', 1)]);
    await first.task.flush?.([]);
    await first.task.put([at(2, 'c')]);
    // Crash: no flush, no stop (the lease is dropped the way a dying process drops it).
    await first.task.stop();
    assert.equal(
      await readFile(file, 'utf8'),
      'a\nb\nx\nc\n',
      'the unflushed line is still there before the restart',
    );
    const second = await startWith(file);
    assert.equal(await readFile(file, 'utf8'), 'a\nb\nx\n', 'cut back to the committed length');
    await second.task.open?.([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
      { topic: 't', partition: 2 },
    ]);
    assert.deepEqual(second.seeks, ['t-0@2', 't-1@1'], 'partitions resume after their committed lines');
    await second.task.put([at(0, 'a'), at(1, 'b'), at(2, 'c'), at(3, 'd')]);
    await second.task.flush?.([]);
    assert.equal(await readFile(file, 'utf8'), 'a\nb\nx\nc\nd\n', 'redelivered records are skipped');
  });

  test('the offsets API moves the recorded positions of a stopped connector (PATCH), or forgets them (DELETE)', async () => {
    const file = await tempFile();
    const first = await startWith(file);
    await first.task.put([at(0, 'a'), at(1, 'b'), at(0, 'x', 1)]);
    await first.task.flush?.([]);
    await first.task.stop();
    const connector = fileStreamSinkPlugin.createConnector();
    await connector.alterOffsets?.({ name: 'test-connector', file }, [
      { topic: 't', partition: 0, offset: 1 },
    ]);
    await connector.alterOffsets?.({ name: 'test-connector', file }, [
      { topic: 't', partition: 1, offset: null },
    ]);
    const second = await startWith(file);
    await second.task.open?.([
      { topic: 't', partition: 0 },
      { topic: 't', partition: 1 },
    ]);
    assert.deepEqual(second.seeks, ['t-0@1'], 'partition 0 re-reads from 1; partition 1 from the group');
    await second.task.put([at(1, 'b'), at(0, 'x', 1)]);
    await second.task.flush?.([]);
    assert.equal(await readFile(file, 'utf8'), 'a\nb\nx\nb\nx\n', 're-read as the request asked');
  });

  test('delivery.guarantee=at_least_once keeps no state and never cuts the file', async () => {
    const file = await tempFile();
    const first = await startWith(file, { 'delivery.guarantee': 'at_least_once' });
    await first.task.put([at(0, 'a')]);
    await first.task.stop();
    const second = await startWith(file, { 'delivery.guarantee': 'at_least_once' });
    await second.task.put([at(0, 'a')]);
    await second.task.flush?.([]);
    assert.equal(await readFile(file, 'utf8'), 'a\na\n');
    await assert.rejects(readFile(`${file}.sluice-state`, 'utf8'), /ENOENT/);
  });

  test('a file another live process writes is refused, naming the holder and the way out', async () => {
    const file = await tempFile();
    await writeFile(`${file}.sluice-lock`, JSON.stringify({ pid: process.ppid, host: hostname() }));
    const task = fileStreamSinkPlugin.createTask();
    await assert.rejects(
      Promise.resolve(task.start({ file }, sinkTaskContext())),
      new RegExp(
        `being written by another process \\(pid ${process.ppid} .*delivery.guarantee=at_least_once`,
      ),
    );
  });

  test('a lock left by a dead process is taken over', async () => {
    const file = await tempFile();
    await writeFile(`${file}.sluice-lock`, JSON.stringify({ pid: 2 ** 22 + 7, host: hostname() }));
    const { task } = await startWith(file);
    await task.put([at(0, 'a')]);
    await task.flush?.([]);
    assert.equal(await readFile(file, 'utf8'), 'a\n');
  });
});

describe('FileStreamSink connector', () => {
  test('creates tasks.max identical task configs; file is optional, as in Connect', async () => {
    const connector = fileStreamSinkPlugin.createConnector();
    const context = {
      connectorName: 'c',
      logger: silentLogger,
      requestTaskReconfiguration: () => {},
      raiseError: () => {},
    };
    await connector.start({ topics: 't' }, context);
    await connector.start({ file: '/tmp/out.txt', topics: 't' }, context);
    const configs = await connector.taskConfigs(3);
    assert.equal(configs.length, 3);
    for (const config of configs) assert.equal(config.file, '/tmp/out.txt');
  });

  test('without file, lines go to standard output (Connect falls back to System.out)', async () => {
    const task = fileStreamSinkPlugin.createTask();
    tasks.push(task);
    await task.start({ topics: 't' }, sinkTaskContext(0));
    const written: string[] = [];
    const original = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      written.push(String(chunk));
      const done = rest.find((r) => typeof r === 'function') as ((e?: Error) => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
    try {
      await task.put([record('one'), record('two')]);
      await task.flush?.([]);
    } finally {
      process.stdout.write = original;
    }
    assert.deepEqual(written, ['one\ntwo\n']);
  });

  test('plugin descriptor names Connect aliases and documents file', () => {
    assert.equal(fileStreamSinkPlugin.className, 'org.apache.kafka.connect.file.FileStreamSinkConnector');
    assert.equal(fileStreamSinkPlugin.configDef.file?.importance, 'high');
  });
});
