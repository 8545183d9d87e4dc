// Exactly-once sources (issue 20): a standalone worker with exactly.once.source.support=enabled runs a
// FileStreamSource while lines are appended to its file, and is killed with kill -9 ten times at random
// moments. A read_committed reader of the topic must then see every line exactly once, in file order:
// the records polled in each 500 ms (transaction.boundary=interval) and their file offset are committed in
// one Kafka transaction, and a transaction
// a kill cut short is aborted when the task's next instance registers its transactional id.
// SLUICE_EOS_ATLEASTONCE=1 runs the same loop at least once, to see the duplicates the test would catch.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createTopic, deleteTopics, TopicTail } from '../../support/kafka-test-client.js';
import { sleep, uniqueName, waitFor, WorkerProcess, writeProperties } from '../../support/worker-process.js';

const KILLS = 10;
const exactlyOnce = process.env['SLUICE_EOS_ATLEASTONCE'] !== '1';

/** FileStreamSource values go through the default JsonConverter: a JSON string per line. */
function lineOf(value: Buffer | null): string {
  const text = value?.toString('utf8') ?? '';
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null && 'payload' in parsed
    ? String((parsed as { payload: unknown }).payload)
    : String(parsed);
}

describe('exactly-once FileStreamSource under kill -9', { timeout: 300_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  });

  test(
    `${KILLS} kill -9s at random moments: every line exactly once, in order`,
    { timeout: 280_000 },
    async () => {
      const topic = uniqueName('it-eos-file');
      const offsetsTopic = uniqueName('it-eos-offsets');
      await createTopic(topic, 1);
      cleanups.push(() => deleteTopics([topic, offsetsTopic]));
      const worker = await WorkerProcess.create({
        properties: {
          'exactly.once.source.support': exactlyOnce ? 'enabled' : 'disabled',
          'offset.storage.topic': offsetsTopic,
          'offset.storage.partitions': '3',
          'offset.storage.replication.factor': '1',
          'offset.flush.interval.ms': '1000',
        },
      });
      cleanups.push(() => worker.dispose());
      const input = join(worker.dir, 'in.txt');
      await writeFile(input, '');
      const connectorFile = await writeProperties(join(worker.dir, 'source.properties'), {
        name: uniqueName('eos-src'),
        'connector.class': 'FileStreamSource',
        file: input,
        topic,
        'batch.size': '500',
        'exactly.once.support': 'required',
        // The cluster and mirror tests use the default (poll); this one commits a transaction every 500 ms.
        'transaction.boundary': 'interval',
        'transaction.boundary.interval.ms': '500',
      });

      let fed = 0;
      let feeding = true;
      const feeder = (async () => {
        while (feeding) {
          let chunk = '';
          for (let i = 0; i < 150; i++) chunk += `${fed + i}\n`;
          await appendFile(input, chunk);
          fed += 150;
          await sleep(50);
        }
      })();

      await worker.start([connectorFile]);
      for (let kill = 1; kill <= KILLS; kill++) {
        // From the middle of startup (transactional id being registered) to well into producing.
        await sleep(300 + Math.random() * 3_500);
        await worker.kill9();
        if (kill < KILLS) await worker.launch([connectorFile]);
      }
      await worker.start([connectorFile]);
      await sleep(1_000);
      feeding = false;
      await feeder;

      const tail = await TopicTail.start(topic);
      cleanups.push(() => tail.stop());
      await tail.waitForCount(fed, 120_000, topic);
      // Anything beyond `fed` (a duplicate) would arrive with the rest: give it time to show.
      await sleep(3_000);
      const lines = tail.messages.map((m) => lineOf(m.value));
      const counts = new Map<string, number>();
      for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
      const duplicates = lines.length - counts.size;
      const missing = fed - [...counts.keys()].filter((l) => Number(l) < fed).length;
      console.log(
        `exactly-once=${exactlyOnce}: ${fed} lines fed, ${lines.length} records read, ${duplicates} duplicated, ${missing} missing`,
      );
      assert.equal(missing, 0, 'every line fed reached the topic');
      assert.equal(duplicates, 0, 'no line was produced twice');
      assert.deepEqual(
        lines.slice(0, 5),
        ['0', '1', '2', '3', '4'],
        'the topic starts with the first lines of the file',
      );
      assert.ok(
        lines.every((line, i) => Number(line) === i),
        'the lines are in file order',
      );
      await waitFor(async () => (await worker.terminate()).code === 0, 30_000, 'a clean stop');
    },
  );
});
