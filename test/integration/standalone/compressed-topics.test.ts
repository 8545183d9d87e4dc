// Compressed record batches, as most production topics hold them: written by the Java producer with
// each codec, or recompressed by the broker for a topic with compression.type set. A sink reads them
// all, complete and in order; a source's producer.compression.type writes batches of that codec that
// the Java consumer reads back intact.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  COMPRESSION_TYPES,
  javaBatchCodecs,
  javaConsume,
  javaProduce,
  type CompressionType,
  type JavaOutgoingRecord,
} from '../../support/java-kafka-client.js';
import { createTopic, deleteTopics, produce } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

const RECORDS = 2_000;
const STRING_CONVERTERS = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
};

const valuesOf = (topic: string): string[] =>
  Array.from({ length: RECORDS }, (_, i) => `${topic} record ${i} ${'x'.repeat(i % 50)}`);

async function readLines(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

describe('compressed record batches (gzip, snappy, lz4, zstd)', { timeout: 240_000 }, () => {
  const topics: string[] = [];
  const workers: WorkerProcess[] = [];
  after(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await deleteTopics(topics);
  });

  test('a sink reads topics compressed by the Java producer and by the topic compression.type, complete and in order', async () => {
    const id = uniqueName('codecs-in');
    const sources: { topic: string; codec: CompressionType }[] = [];
    const byJava: JavaOutgoingRecord[] = [];
    for (const codec of COMPRESSION_TYPES) {
      const byProducer = `${id}-java-${codec}`;
      await createTopic(byProducer);
      for (const v of valuesOf(byProducer))
        byJava.push({ topic: byProducer, compression: codec, key: null, value: Buffer.from(v), headers: [] });
      const byBroker = `${id}-topic-${codec}`;
      await createTopic(byBroker, 1, undefined, { 'compression.type': codec });
      await produce(
        byBroker,
        valuesOf(byBroker).map((value) => ({ value })),
      );
      sources.push({ topic: byProducer, codec }, { topic: byBroker, codec });
    }
    await javaProduce(byJava);
    topics.push(...sources.map((s) => s.topic));
    // The test data is what it claims to be: every stored batch carries the codec.
    const stored = await javaBatchCodecs(sources.map((s) => s.topic));
    for (const { topic, codec } of sources)
      assert.deepEqual([...stored.get(topic)!], [codec], `batches of ${topic}`);

    const worker = await WorkerProcess.start({ properties: STRING_CONVERTERS });
    workers.push(worker);
    const out = join(worker.dir, 'sink.txt');
    const sink = uniqueName('codecs-sink');
    await worker.createConnector(sink, {
      'connector.class': 'FileStreamSink',
      topics: sources.map((s) => s.topic).join(','),
      file: out,
    });
    const expected = sources.length * RECORDS;
    await waitFor(
      async () =>
        (await readLines(out)).length >= expected || (await worker.status(sink)).tasks[0]?.state === 'FAILED',
      120_000,
      `${expected} lines in ${out}`,
    );
    const status = await worker.status(sink);
    assert.equal(status.tasks[0]?.state, 'RUNNING', `sink task: ${status.tasks[0]?.trace ?? ''}`);
    const lines = await readLines(out);
    for (const { topic } of sources)
      assert.deepEqual(
        lines.filter((l) => l.startsWith(`${topic} `)),
        valuesOf(topic),
        `${topic}: every record, in order`,
      );
    assert.equal(lines.length, expected, 'no record twice');
  });

  test('producer.compression.type and producer.override.compression.type write batches of that codec the Java consumer reads', async () => {
    const id = uniqueName('codecs-out');
    // The worker-level setting for one codec, the per-connector override for the others.
    const workerCodec: CompressionType = 'zstd';
    const worker = await WorkerProcess.start({
      properties: { ...STRING_CONVERTERS, 'producer.compression.type': workerCodec },
    });
    workers.push(worker);
    const lines = Array.from({ length: RECORDS }, (_, i) => `line ${i} ${'y'.repeat(i % 70)}`);
    const input = join(worker.dir, 'input.txt');
    await writeFile(input, lines.join('\n') + '\n');
    const targets = COMPRESSION_TYPES.map((codec) => ({ codec, topic: `${id}-${codec}` }));
    topics.push(...targets.map((t) => t.topic));
    for (const { codec, topic } of targets) {
      await createTopic(topic);
      await worker.createConnector(`${topic}-source`, {
        'connector.class': 'FileStreamSource',
        file: input,
        topic,
        ...(codec === workerCodec ? {} : { 'producer.override.compression.type': codec }),
      });
    }
    const read = await javaConsume(
      targets.map((t) => t.topic),
      RECORDS,
      60_000,
    );
    const stored = await javaBatchCodecs(targets.map((t) => t.topic));
    for (const { codec, topic } of targets) {
      assert.deepEqual(
        read.filter((r) => r.topic === topic).map((r) => r.value?.toString()),
        lines,
        `${topic}: every line, in order`,
      );
      assert.deepEqual([...stored.get(topic)!], [codec], `batches of ${topic}`);
    }
  });

  test('an unknown compression.type fails the task with an error naming the key', async () => {
    const worker = await WorkerProcess.start({ properties: STRING_CONVERTERS });
    workers.push(worker);
    const topic = uniqueName('codecs-bad');
    topics.push(topic);
    const name = `${topic}-source`;
    await worker.createConnector(name, {
      'connector.class': 'FileStreamSource',
      file: join(worker.dir, 'none.txt'),
      topic,
      'producer.override.compression.type': 'brotli',
    });
    const status = await worker.waitForTaskState(name, 'FAILED');
    assert.match(status.tasks[0]?.trace ?? '', /brotli.*compression\.type/);
  });
});
