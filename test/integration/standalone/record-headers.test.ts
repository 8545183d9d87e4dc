// Headers with null values, empty values and repeated keys, written by the Java producer, reach a sink
// task unchanged and in order (after the default header converter), and a record sent to the dead
// letter queue keeps them byte for byte.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  javaConsume,
  javaProduce,
  type JavaOutgoingRecord,
  type JavaRecord,
} from '../../support/java-kafka-client.js';
import { createTopic, deleteTopics } from '../../support/kafka-test-client.js';
import type { RecordedSinkRecord } from '../../support/recording-sink-plugin.js';
import { trickyHeaders } from '../../support/tricky-headers.js';
import { uniqueName, waitFor, WorkerProcess } from '../../support/worker-process.js';

const RECORDING_SINK_PLUGIN = fileURLToPath(
  new URL('../../support/recording-sink-plugin.js', import.meta.url),
);
const RECORDS = 200;

const text = (bytes: Buffer | null): string | null => (bytes === null ? null : bytes.toString());

/** A record with its bytes as text, so that a difference reads plainly. */
const printable = (r: JavaRecord) => ({
  key: text(r.key),
  value: text(r.value),
  headers: r.headers.map((h) => [h.key, text(h.value)]),
});

async function recorded(file: string): Promise<RecordedSinkRecord[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as RecordedSinkRecord);
}

describe(
  'record headers: null, empty and repeated, through sinks and the dead letter queue',
  { timeout: 180_000 },
  () => {
    const topics: string[] = [];
    let worker: WorkerProcess | null = null;
    after(async () => {
      await worker?.dispose();
      await deleteTopics(topics);
    });

    test('a sink task sees every header in order, null as null, empty as empty; the DLQ copy keeps them exactly', async () => {
      const topic = uniqueName('headers');
      const dlq = `${topic}-dlq`;
      topics.push(topic, dlq);
      await createTopic(topic);
      const records: JavaOutgoingRecord[] = Array.from({ length: RECORDS }, (_, i) => ({
        topic,
        compression: 'none',
        key: Buffer.from(`k${i}`),
        value: Buffer.from(`not json ${i}`),
        headers: trickyHeaders(i),
      }));
      await javaProduce(records);

      worker = await WorkerProcess.start({ properties: { 'plugin.path': RECORDING_SINK_PLUGIN } });
      const seen = join(worker.dir, 'seen.jsonl');
      await worker.createConnector(uniqueName('recorder'), {
        'connector.class': 'RecordingSink',
        topics: topic,
        file: seen,
        'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
        'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      });
      // The values are not JSON: with the JsonConverter every record goes to the dead letter queue.
      const rejected = join(worker.dir, 'rejected.jsonl');
      await worker.createConnector(uniqueName('rejecter'), {
        'connector.class': 'RecordingSink',
        topics: topic,
        file: rejected,
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': dlq,
        'errors.deadletterqueue.topic.replication.factor': '1',
      });

      await waitFor(
        async () => (await recorded(seen)).length >= RECORDS,
        60_000,
        `${RECORDS} records seen by the sink`,
      );
      const expectedHeaders = (i: number) =>
        // The default SimpleHeaderConverter reads each value as text; null stays null.
        trickyHeaders(i).map((h) => ({ key: h.key, value: h.value === null ? null : h.value.toString() }));
      assert.deepEqual(
        (await recorded(seen)).map((r) => ({ offset: r.offset, headers: r.headers })),
        records.map((_, i) => ({ offset: i, headers: expectedHeaders(i) })),
      );

      // Like Connect's, the DLQ sends each failed record on its own: compare records, not their order.
      const byKey = (a: JavaRecord, b: JavaRecord) =>
        Number(text(a.key)!.slice(1)) - Number(text(b.key)!.slice(1));
      const dead = await javaConsume([dlq], RECORDS, 60_000);
      assert.deepEqual(dead.sort(byKey).map(printable), records.map(printable));
      assert.deepEqual(await recorded(rejected), [], 'no record reached the rejecting sink');
    });
  },
);
