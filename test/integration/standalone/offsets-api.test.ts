// Kafka Connect's offsets API (GET/PATCH/DELETE /connectors/{c}/offsets) against a live worker: the
// shapes for source (datagen) and sink (consumer group connect-<name>) connectors, the STOPPED rule,
// and that altered or reset offsets are where the tasks really continue from.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readDatagenFile, idKey } from '../../support/datagen-output.js';
import { createTopic, deleteTopics, readTopic, topicSize } from '../../support/kafka-test-client.js';
import { sleep, uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

interface Offsets {
  offsets: { partition: Record<string, unknown>; offset: Record<string, unknown> | null }[];
}
interface ErrorBody {
  error_code: number;
  message: string;
}

const NOT_STOPPED = /Connectors must be in the STOPPED state before their offsets can be modified/;
const MAX_RECORDS = 50_010;
const PATCHED_SEQ = 50_000;

/** The datagen id inside a JsonConverter (schemas.enable=true) value. */
function idOf(value: Buffer | null): string {
  const parsed = JSON.parse(value?.toString() ?? 'null') as { payload: { id: string } };
  return parsed.payload.id;
}

describe('offsets API', { timeout: 240_000 }, () => {
  let worker: WorkerProcess;
  const topic = uniqueName('it-offsets');
  const source = uniqueName('offsets-datagen');
  const sink = uniqueName('offsets-sink');
  let out = '';

  const offsets = async (name: string): Promise<Offsets> => {
    const reply = await worker.rest<Offsets>('GET', `/connectors/${name}/offsets`);
    assert.equal(reply.status, 200, reply.text);
    return reply.body;
  };
  const sourceSeq = async (): Promise<number | undefined> => {
    const entry = (await offsets(source)).offsets.find((o) => o.partition['task'] === 0);
    return entry?.offset?.['seq'] as number | undefined;
  };
  const sinkOffset = async (): Promise<number | undefined> => {
    const entry = (await offsets(sink)).offsets.find((o) => o.partition['kafka_topic'] === topic);
    return entry?.offset?.['kafka_offset'] as number | undefined;
  };
  const stop = async (name: string): Promise<void> => {
    assert.equal((await worker.rest('PUT', `/connectors/${name}/stop`)).status, 204);
    await waitFor(
      async () => (await worker.status(name)).connector.state === 'STOPPED',
      30_000,
      `${name} STOPPED`,
    );
  };
  const resume = async (name: string): Promise<void> => {
    assert.equal((await worker.rest('PUT', `/connectors/${name}/resume`)).status, 202);
    await worker.waitForState(name, 'RUNNING', 1);
  };

  before(async () => {
    await createTopic(topic, 1);
    worker = await WorkerProcess.start();
    out = join(worker.dir, 'sink.txt');
    await worker.createConnector(source, {
      'connector.class': 'DatagenSource',
      'kafka.topic': topic,
      'tasks.max': '1',
      'max.records': String(MAX_RECORDS),
      'records.per.second': '200',
      'batch.size': '20',
      'record.size.bytes': '0',
    });
    await worker.createConnector(sink, { 'connector.class': 'FileStreamSink', topics: topic, file: out });
    await worker.waitForState(source, 'RUNNING', 1);
    await worker.waitForState(sink, 'RUNNING', 1);
  });
  after(async () => {
    await worker?.dispose();
    await deleteTopics([topic]);
  });

  test('GET shows {partition:{task}, offset:{seq}} for a source and {kafka_topic,kafka_partition}/{kafka_offset} for a sink', async () => {
    const seq = await waitFor(
      async () => ((await sourceSeq()) ?? 0) >= 20 && sourceSeq(),
      30_000,
      'a committed source offset',
    );
    const body = await offsets(source);
    assert.deepEqual(
      body.offsets.map((o) => o.partition),
      [{ task: 0 }],
    );
    assert.ok(typeof seq === 'number' && seq >= 20);
    assert.deepEqual(Object.keys(body.offsets[0]!.offset ?? {}), ['seq']);

    await waitFor(async () => ((await sinkOffset()) ?? 0) > 0, 30_000, 'a committed sink offset');
    const sinkBody = await offsets(sink);
    assert.equal(sinkBody.offsets.length, 1);
    assert.deepEqual(sinkBody.offsets[0]!.partition, { kafka_topic: topic, kafka_partition: 0 });
    assert.deepEqual(Object.keys(sinkBody.offsets[0]!.offset ?? {}), ['kafka_offset']);
  });

  test("PATCH and DELETE while running answer 400 with Connect's message", async () => {
    for (const name of [source, sink]) {
      const patch = await worker.rest<ErrorBody>('PATCH', `/connectors/${name}/offsets`, {
        offsets: [{ partition: { task: 0 }, offset: { seq: 1 } }],
      });
      assert.equal(patch.status, 400, patch.text);
      assert.equal(patch.body.error_code, 400);
      assert.match(patch.body.message, NOT_STOPPED);
      const del = await worker.rest<ErrorBody>('DELETE', `/connectors/${name}/offsets`);
      assert.equal(del.status, 400, del.text);
      assert.match(del.body.message, NOT_STOPPED);
    }
  });

  test('source: PATCH after stop, resume → the task continues after the patched seq', async () => {
    await stop(source);
    const sizeBefore = await topicSize(topic);
    const patched = await worker.rest<{ message: string }>('PATCH', `/connectors/${source}/offsets`, {
      offsets: [{ partition: { task: 0 }, offset: { seq: PATCHED_SEQ } }],
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.message, 'The offsets for this connector have been altered successfully');
    assert.equal(await sourceSeq(), PATCHED_SEQ);

    await resume(source);
    await waitFor(
      async () => (await sourceSeq()) === MAX_RECORDS - 1,
      30_000,
      `source offset seq ${MAX_RECORDS - 1}`,
    );
    await sleep(1_000);
    const produced = MAX_RECORDS - 1 - PATCHED_SEQ;
    assert.equal(
      await topicSize(topic),
      sizeBefore + produced,
      'the task did not continue from the patched seq',
    );
    const messages = await readTopic(topic, sizeBefore + produced);
    const lastIds = messages.slice(-produced).map((m) => idOf(m.value));
    assert.deepEqual(
      lastIds,
      Array.from({ length: produced }, (_, i) => `0-${PATCHED_SEQ + 1 + i}`),
    );
  });

  test('source: DELETE after stop resets, the task starts again at seq 0', async () => {
    await stop(source);
    const reset = await worker.rest<{ message: string }>('DELETE', `/connectors/${source}/offsets`);
    assert.equal(reset.status, 200, reset.text);
    assert.equal(reset.body.message, 'The offsets for this connector have been reset successfully');
    assert.deepEqual((await offsets(source)).offsets, []);
    await resume(source);
    const seq = await waitFor(async () => sourceSeq(), 30_000, 'a new source offset after reset');
    assert.ok(seq < PATCHED_SEQ, `offsets were not reset: seq ${seq}`);
    await stop(source);
  });

  test('sink: PATCH after stop makes the sink re-read from the patched offset; DELETE re-reads everything', async () => {
    const size = await topicSize(topic);
    await waitFor(
      async () => (await sinkOffset()) === size,
      30_000,
      `sink offset at the end of the topic (${size})`,
    );
    await stop(sink);
    const linesBefore = (await readDatagenFile(out)).length;
    assert.ok(linesBefore >= size, `sink file has ${linesBefore} lines for ${size} records`);

    const patched = await worker.rest<{ message: string }>('PATCH', `/connectors/${sink}/offsets`, {
      offsets: [
        { partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: size - 5 } },
      ],
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.body.message, 'The offsets for this connector have been altered successfully');
    assert.equal(await sinkOffset(), size - 5);

    await resume(sink);
    const lines = await waitFor(
      async () => {
        const read = await readDatagenFile(out);
        return read.length >= linesBefore + 5 ? read : false;
      },
      30_000,
      '5 re-read records in the sink file',
    );
    await waitFor(async () => (await sinkOffset()) === size, 30_000, 'sink offset back at the end');
    const messages = await readTopic(topic, size);
    assert.deepEqual(
      (await readDatagenFile(out)).slice(linesBefore).map(idKey),
      messages.slice(-5).map((m) => idOf(m.value)),
      'the sink did not re-read exactly the records after the patched offset',
    );
    assert.equal(lines.length, linesBefore + 5);

    await stop(sink);
    const reset = await worker.rest<{ message: string }>('DELETE', `/connectors/${sink}/offsets`);
    assert.equal(reset.status, 200, reset.text);
    assert.equal(reset.body.message, 'The offsets for this connector have been reset successfully');
    assert.deepEqual((await offsets(sink)).offsets, []);
    await resume(sink);
    await waitFor(
      async () => (await readDatagenFile(out)).length >= linesBefore + 5 + size,
      45_000,
      'the whole topic re-read after DELETE',
    );
  });
});
