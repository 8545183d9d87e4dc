// What real topics hold, copied by `sluice mirror` exactly: batches of every codec (written by the Java
// producer), headers with null values, empty values and repeated keys (in their order), and a source
// topic deleted mid-replication (dropped with a WARN; the task's other partitions keep flowing).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { KAFKA_B_BOOTSTRAP } from '../../support/endpoints.js';
import {
  COMPRESSION_TYPES,
  javaConsume,
  javaProduce,
  type JavaConsumedRecord,
  type JavaOutgoingRecord,
} from '../../support/java-kafka-client.js';
import { createTopic, deleteTopics, produce } from '../../support/kafka-test-client.js';
import { trickyHeaders } from '../../support/tricky-headers.js';
import { rest, sleep, uniqueName, waitFor } from '../../support/worker-process.js';
import { B, deleteAll, internalTopicsOf, mm2Props, sizeOf } from './mirror-fixture.js';
import { MirrorProcess } from './mirror-process.js';

const RECORDS = 1_000;

/** A record as the Java consumer returned it, comparable with what was produced. */
const shape = (r: JavaConsumedRecord) => ({ key: r.key, value: r.value, headers: r.headers });

interface TaskStatus {
  tasks: { id: number; state: string; trace?: string }[];
}

describe('sluice mirror: compressed batches, headers, deleted topics', { timeout: 300_000 }, () => {
  const sourceTopics: string[] = [];
  const flows: { prefix: string; mirror: MirrorProcess }[] = [];
  /** A mirror of the topics named `<prefix>-*`, started once they exist; one task for all partitions. */
  async function startMirror(prefix: string, extra: Record<string, string> = {}): Promise<MirrorProcess> {
    const mirror = await MirrorProcess.create(mm2Props(prefix, { 'tasks.max': '1', ...extra }));
    flows.push({ prefix, mirror });
    await mirror.start();
    return mirror;
  }
  after(async () => {
    for (const { mirror } of flows) await mirror.stop();
    await deleteTopics(sourceTopics);
    await deleteAll(
      B,
      new Set([...sourceTopics.map((t) => `A.${t}`), ...flows.flatMap((f) => internalTopicsOf(f.prefix))]),
      new Set(flows.map((f) => `${f.prefix}-mm2`)),
    );
  });

  test('topics of every codec with null, empty and repeated headers arrive identical, in order', async () => {
    const prefix = uniqueName('mmdata');
    const records: JavaOutgoingRecord[] = [];
    for (const codec of ['none', ...COMPRESSION_TYPES] as const) {
      const topic = `${prefix}-${codec}`;
      sourceTopics.push(topic);
      await createTopic(topic);
      for (let i = 0; i < RECORDS; i++)
        records.push({
          topic,
          compression: codec,
          key: i % 10 === 0 ? null : Buffer.from(`k-${i}`),
          value: i % 100 === 1 ? null : Buffer.from(`${topic}-${i}-${'z'.repeat(i % 40)}`),
          headers: trickyHeaders(i),
        });
    }
    await javaProduce(records);
    await startMirror(prefix);
    const copied = await javaConsume(
      COMPRESSION_TYPES.map((c) => `A.${prefix}-${c}`).concat(`A.${prefix}-none`),
      RECORDS,
      120_000,
      KAFKA_B_BOOTSTRAP,
    );
    for (const topic of records.map((r) => r.topic).filter((t, i, all) => all.indexOf(t) === i)) {
      const expected = records
        .filter((r) => r.topic === topic)
        .map((r) => ({ key: r.key, value: r.value, headers: r.headers }));
      assert.deepEqual(
        copied.filter((r) => r.topic === `A.${topic}`).map(shape),
        expected,
        `A.${topic}: every record, byte for byte, headers in order`,
      );
    }
  });

  test('a source topic deleted mid-replication is dropped with a WARN; the other topic keeps flowing and the task stays RUNNING', async () => {
    const prefix = uniqueName('mmdeleted');
    const doomed = `${prefix}-doomed`;
    const kept = `${prefix}-kept`;
    sourceTopics.push(doomed, kept);
    await createTopic(doomed);
    await createTopic(kept);
    // MM2's default topic refresh (10 min): the task itself meets the deleted topic, before the
    // connector notices and reconfigures its tasks.
    const process = await startMirror(prefix, { 'refresh.topics.interval.seconds': '600' });
    const batch = (topic: string, from: number) =>
      Array.from({ length: 100 }, (_, i) => ({ value: `${topic}-${from + i}` }));
    await produce(doomed, batch(doomed, 0));
    await produce(kept, batch(kept, 0));
    await waitFor(
      async () => (await sizeOf(B, `A.${doomed}`)) >= 100 && (await sizeOf(B, `A.${kept}`)) >= 100,
      90_000,
      'both topics replicated',
      500,
    );
    await deleteTopics([doomed]);
    // Keep producing to the other topic after the deletion: all of it must arrive.
    for (let from = 100; from < 600; from += 100) {
      await produce(kept, batch(kept, from));
      await sleep(500);
    }
    await waitFor(
      async () => (await sizeOf(B, `A.${kept}`)) >= 600,
      90_000,
      'the kept topic keeps flowing',
      500,
    );
    const status = await rest<TaskStatus>(process.url, 'GET', '/connectors/MirrorSourceConnector/status');
    assert.deepEqual(
      status.body.tasks.map((t) => t.state),
      ['RUNNING'],
      `source task: ${JSON.stringify(status.body.tasks)}`,
    );
    const warning = process.log.split('\n').find((line) => line.includes(`${doomed}-0 no longer exists`));
    assert.match(warning ?? '(no such line)', /"level":40/, 'a WARN names the dropped topic-partition');
    // Nothing to read twice: the records before the deletion and after it, in order.
    const copied = await javaConsume([`A.${kept}`], 600, 30_000, KAFKA_B_BOOTSTRAP);
    assert.deepEqual(
      copied.map((r) => r.value?.toString()),
      Array.from({ length: 600 }, (_, i) => `${kept}-${i}`),
    );
  });
});
