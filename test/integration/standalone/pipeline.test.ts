// Datagen → Kafka → FileStreamSink through the real CLI and the real Kafka: every record arrives, in
// order per task, and after a kill -9 mid-stream the restarted worker resumes from its offsets.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { duplicateIds, missingIds, orderViolations, readDatagenFile } from '../../support/datagen-output.js';
import { createTopic, deleteTopics } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor, WorkerProcess, writeProperties } from '../../support/worker-process.js';

const TASKS = 2;

async function pipelineFiles(
  worker: WorkerProcess,
  topic: string,
  perTask: number,
  extra: Record<string, string> = {},
) {
  const out = join(worker.dir, 'out.txt');
  const source = uniqueName('datagen');
  const sink = uniqueName('filesink');
  const sourceFile = await writeProperties(join(worker.dir, 'datagen.properties'), {
    name: source,
    'connector.class': 'DatagenSource',
    'kafka.topic': topic,
    'max.records': String(perTask),
    'tasks.max': String(TASKS),
    'record.size.bytes': '0',
    ...extra,
  });
  const sinkFile = await writeProperties(join(worker.dir, 'sink.properties'), {
    name: sink,
    'connector.class': 'FileStreamSink',
    topics: topic,
    file: out,
  });
  return { out, source, sink, files: [sourceFile, sinkFile] };
}

/** The offsets file as {task index → committed seq} for one connector. */
async function committedSeqs(offsetsFile: string, connector: string): Promise<Map<number, number>> {
  const seqs = new Map<number, number>();
  let text: string;
  try {
    text = await readFile(offsetsFile, 'utf8');
  } catch {
    return seqs;
  }
  for (const [key, offset] of Object.entries(JSON.parse(text) as Record<string, { seq: number }>)) {
    const [name, partition] = JSON.parse(key) as [string, { task: number }];
    if (name === connector) seqs.set(partition.task, offset.seq);
  }
  return seqs;
}

describe('standalone pipeline datagen → Kafka → FileStreamSink', { timeout: 180_000 }, () => {
  const topics: string[] = [];
  const workers: WorkerProcess[] = [];
  after(async () => {
    await Promise.all(workers.map((w) => w.dispose()));
    await deleteTopics(topics);
  });

  test('clean run: every id exactly once, per-task order kept', { timeout: 90_000 }, async () => {
    const perTask = 2_500; // N = 5000 over 2 tasks
    const topic = uniqueName('it-pipeline');
    topics.push(topic);
    await createTopic(topic, 1);
    const worker = await WorkerProcess.create();
    workers.push(worker);
    const { out, source, sink, files } = await pipelineFiles(worker, topic, perTask);
    await worker.start(files);
    // Connectors given on the command line start once: a second start used to leave them FAILED
    // ("already running on this worker") while their tasks ran.
    await worker.waitForState(source, 'RUNNING', TASKS);
    await worker.waitForState(sink, 'RUNNING', 1);

    const ids = await waitFor(
      async () => {
        const read = await readDatagenFile(out);
        return read.length >= TASKS * perTask ? read : false;
      },
      60_000,
      `${TASKS * perTask} lines in ${out}`,
      500,
    );
    // Give a stray duplicate the chance to show up before judging "exactly once".
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const final = await readDatagenFile(out);
    assert.ok(ids.length <= final.length);
    assert.deepEqual(missingIds(final, TASKS, perTask), []);
    assert.deepEqual(duplicateIds(final), []);
    assert.equal(final.length, TASKS * perTask);
    assert.deepEqual(orderViolations(final), []);
    const exit = await worker.terminate();
    assert.equal(exit.code, 0);
  });

  test(
    'kill -9 mid-stream, restart: nothing lost, resumes from committed offsets',
    { timeout: 240_000 },
    async () => {
      const perTask = 6_000;
      const topic = uniqueName('it-crash');
      topics.push(topic);
      await createTopic(topic, 1);
      const worker = await WorkerProcess.create();
      workers.push(worker);
      const { out, source, files } = await pipelineFiles(worker, topic, perTask, {
        'records.per.second': '1000',
        'batch.size': '100',
      });
      await worker.start(files);

      // Mid-stream: offsets committed for both tasks and part of the output written.
      const beforeKill = await waitFor(
        async () => {
          const seqs = await committedSeqs(worker.offsetsFile, source);
          const lines = (await readDatagenFile(out)).length;
          return seqs.size === TASKS && [...seqs.values()].every((s) => s >= 1_000) && lines >= 1_000
            ? seqs
            : false;
        },
        40_000,
        'source offsets committed past seq 1000 for both tasks',
      );
      const exit = await worker.kill9();
      assert.equal(exit.signal, 'SIGKILL');
      for (const seq of beforeKill.values())
        assert.ok(seq < perTask - 1, `killed too late to be mid-stream: ${seq}`);
      const afterKill = await committedSeqs(worker.offsetsFile, source);

      // Restart with the worker file only: connectors come back from the connectors file beside the offsets.
      await worker.start([]);
      const connectors = await worker.rest<string[]>('GET', '/connectors');
      assert.ok(connectors.body.includes(source), `connector ${source} not restored: ${connectors.text}`);
      // The task starts in the background after REST answers: wait for its start line, then check it.
      // worker.output holds both runs, so wait for the second start line of task 0.
      const startLines = (): number =>
        worker.output.match(/Datagen task 0 starting at seq \d+/g)?.length ?? 0;
      await waitFor(() => startLines() >= 2, 30_000, 'datagen task 0 started after the restart');
      assert.match(
        worker.output,
        new RegExp(`Datagen task 0 starting at seq ${(afterKill.get(0) ?? -1) + 1}\\b`),
      );

      const ids = await waitFor(
        async () => {
          const read = await readDatagenFile(out);
          return missingIds(read, TASKS, perTask).length === 0 ? read : false;
        },
        150_000,
        `every id of ${TASKS}×${perTask} in ${out}`,
        500,
      );
      assert.deepEqual(missingIds(ids, TASKS, perTask), []);
      assert.ok(
        ids.length < 2 * TASKS * perTask,
        `output has ${ids.length} lines: the source restarted from zero`,
      );
      const finalSeqs = await waitFor(
        async () => {
          const seqs = await committedSeqs(worker.offsetsFile, source);
          return [...seqs.values()].every((s) => s === perTask - 1) && seqs.size === TASKS ? seqs : false;
        },
        15_000,
        'final offsets committed',
      );
      for (const [task, seq] of finalSeqs)
        assert.ok(seq >= (afterKill.get(task) ?? 0), 'offsets went backwards');
      assert.equal((await worker.terminate()).code, 0);
    },
  );
});
