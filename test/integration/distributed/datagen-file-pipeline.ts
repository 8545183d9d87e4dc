// A datagen → Kafka → FileStreamSink pipeline on a TestCluster, for the failover and kill-loop tests:
// every datagen task writes ids <task>-0 … <task>-(perTask-1), so the sink's file shows what was lost
// (a missing id) and what a crash duplicated (an id twice).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { missingIds, readDatagenFile, type DatagenId } from '../../support/datagen-output.js';
import { createTopic } from '../../support/kafka-test-client.js';
import { uniqueName, waitFor } from '../../support/worker-process.js';
import type { DistributedWorker, TestCluster } from './distributed-worker.js';

export interface Pipeline {
  readonly topic: string;
  readonly source: string;
  readonly sink: string;
  readonly out: string;
  /** Source tasks, sink tasks and topic partitions alike. */
  readonly tasks: number;
  readonly perTask: number;
}

export interface PipelineOptions {
  readonly tasks: number;
  readonly perTask: number;
  readonly recordsPerSecond: number;
  /** Added to the FileStreamSink's config. */
  readonly sinkConfig?: Readonly<Record<string, string>>;
}

/** Creates the topic and both connectors through `via`, and waits until every task runs. */
export async function startPipeline(
  cluster: TestCluster,
  via: DistributedWorker,
  options: PipelineOptions,
): Promise<Pipeline> {
  const { tasks, perTask } = options;
  const p: Pipeline = {
    topic: uniqueName('it-dist-pipe'),
    source: uniqueName('gen'),
    sink: uniqueName('sink'),
    out: join(cluster.dir, `${uniqueName('out')}.txt`),
    tasks,
    perTask,
  };
  await createTopic(p.topic, tasks);
  const source = await via.rest('POST', '/connectors', {
    name: p.source,
    config: {
      'connector.class': 'DatagenSource',
      'kafka.topic': p.topic,
      'tasks.max': String(tasks),
      'max.records': String(perTask),
      'records.per.second': String(options.recordsPerSecond),
      'batch.size': '50',
      'record.size.bytes': '0',
    },
  });
  assert.equal(source.status, 201, source.text);
  const sink = await via.rest('POST', '/connectors', {
    name: p.sink,
    // As many sink tasks as partitions: the sink consumer group rebalances whenever a worker leaves or
    // joins, which is what must not lose records.
    config: {
      'connector.class': 'FileStreamSink',
      topics: p.topic,
      file: p.out,
      'tasks.max': String(tasks),
      // Tasks on several worker processes append to one file: exactly_once needs a single writing process.
      'delivery.guarantee': 'at_least_once',
      ...options.sinkConfig,
    },
  });
  assert.equal(sink.status, 201, sink.text);
  await cluster.waitForState(via, p.source, 'RUNNING', tasks);
  await cluster.waitForState(via, p.sink, 'RUNNING', tasks);
  return p;
}

/** Waits until the sink's file holds every id the source produces; returns every line's id (duplicates included). */
export async function waitForEveryId(p: Pipeline, timeoutMs: number): Promise<DatagenId[]> {
  return waitFor(
    async () => {
      const read = await readDatagenFile(p.out);
      return missingIds(read, p.tasks, p.perTask).length === 0 ? read : false;
    },
    timeoutMs,
    `every id of ${p.tasks}×${p.perTask} in ${p.out}`,
    1_000,
  ).catch(async (error: unknown) => {
    const missing = missingIds(await readDatagenFile(p.out), p.tasks, p.perTask);
    throw new Error(
      `${(error as Error).message}; ${missing.length} missing, e.g. ${missing.slice(0, 5).join(', ')}`,
    );
  });
}
