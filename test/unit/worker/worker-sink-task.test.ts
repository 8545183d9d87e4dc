// WorkerSinkTask with fakes: errors from conversion (beyond errors.tolerance) and from the task's
// open() fail the task (status FAILED with the cause) instead of escaping to the consumer, which would
// redeliver the batch forever or, for a rejected assignment callback, crash the worker process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Converter, HeaderConverter } from '../../../runtime/api/converter.js';
import type { Logger } from '../../../runtime/api/logger.js';
import type { SinkRecord } from '../../../runtime/api/records.js';
import type { SinkTask, SinkTaskContext } from '../../../runtime/api/task.js';
import { ErrorHandler } from '../../../runtime/errors/error-handler.js';
import { parseErrorHandlingConfig } from '../../../runtime/errors/error-handling-config.js';
import type { ConsumedMessage, ConsumerHandlers, KafkaGroupConsumer } from '../../../runtime/kafka/types.js';
import { TaskMetrics } from '../../../runtime/metrics/task-metrics.js';
import type { LifecycleState } from '../../../runtime/worker/lifecycle.js';
import { WorkerSinkTaskContext } from '../../../runtime/worker/sink-task-context.js';
import { WorkerSinkTask } from '../../../runtime/worker/worker-sink-task.js';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };

const textConverter: Converter = {
  configure() {},
  fromConnectData: () => null,
  toConnectData(_topic, value) {
    const text = value?.toString() ?? null;
    if (text === 'poison') throw new Error('cannot read poison');
    return { schema: null, value: text };
  },
};
const noHeaders: HeaderConverter = {
  configure() {},
  fromConnectHeader: () => null,
  toConnectHeader: () => ({ schema: null, value: null }),
};

function message(offset: number, value: string): ConsumedMessage {
  return {
    topic: 't',
    partition: 0,
    offset,
    timestamp: 0,
    timestampType: 'CreateTime',
    key: null,
    value: Buffer.from(value),
    headers: [],
  };
}

interface Harness {
  readonly sink: WorkerSinkTask;
  readonly handlers: ConsumerHandlers;
  readonly put: SinkRecord[];
  readonly states: LifecycleState[];
  readonly seeks: string[];
}

async function startedSinkTask(overrides: Partial<SinkTask> = {}, metrics?: TaskMetrics): Promise<Harness> {
  let handlers: ConsumerHandlers | null = null;
  const seeks: string[] = [];
  const consumer: KafkaGroupConsumer = {
    run: async (h) => {
      handlers = h;
    },
    commit: async () => {},
    seek: (position) => void seeks.push(`${position.topic}-${position.partition}@${position.offset}`),
    pause() {},
    resume() {},
    close: async () => {},
  };
  const put: SinkRecord[] = [];
  const task: SinkTask = {
    start() {},
    put: async (records) => void put.push(...records),
    stop() {},
    ...overrides,
  };
  const states: LifecycleState[] = [];
  const config = parseErrorHandlingConfig({});
  const sink = new WorkerSinkTask(
    {
      id: { connector: 'c', task: 0 },
      ...(metrics === undefined ? {} : { metrics }),
      taskConfig: {},
      converters: {
        key: textConverter,
        value: textConverter,
        header: noHeaders,
        keyClass: 'K',
        valueClass: 'V',
        headerClass: 'H',
      },
      transformer: { apply: (r) => r, close() {} },
      errorHandler: ErrorHandler.fromConfig(config, []),
      stopSignal: new AbortController(),
      logger: silent,
      onStateChange: (s) => states.push(s),
      onTopicUsed() {},
      offsetFlushIntervalMs: 60_000,
      offsetFlushTimeoutMs: 5_000,
    },
    task,
    consumer,
    new WorkerSinkTaskContext('c', 0, silent, null),
    null,
    false,
  );
  await sink.start();
  const h = handlers as ConsumerHandlers | null;
  assert.ok(h);
  return { sink, handlers: h, put, states, seeks };
}

test('tolerance none: a conversion error fails the task and the batch is not delivered', async () => {
  const { sink, handlers, put, states } = await startedSinkTask();
  await handlers.onAssignment([{ topic: 't', partition: 0 }]);
  const delivered = await handlers.onBatch(
    {
      topic: 't',
      partition: 0,
      messages: [message(0, 'fine'), message(1, 'poison'), message(2, 'fine')],
      highWatermark: 3,
    },
    { heartbeat: async () => {}, isRunning: () => true, isStale: () => false },
  );
  assert.equal(delivered, false);
  assert.equal(sink.lifecycle.state, 'FAILED');
  assert.match(states.at(-1)?.trace ?? '', /cannot read poison/);
  assert.deepEqual(put, []);
  await sink.stop(1_000);
});

test('a task whose open() throws on a new assignment goes FAILED; the error does not escape to the consumer', async () => {
  const { sink, handlers, states } = await startedSinkTask({
    open: async () => {
      throw new Error('cannot open partition t-0: no such table');
    },
  });
  // Resolves (an unhandled rejection here would take the whole worker process down).
  await handlers.onAssignment([{ topic: 't', partition: 0 }]);
  assert.equal(sink.lifecycle.state, 'FAILED');
  assert.match(states.at(-1)?.trace ?? '', /no such table/);
  await sink.stop(1_000);
});

test('sink-record-lag-max: records left in Kafka after the last delivered batch, largest over the partitions, forgotten on revoke', async () => {
  const metrics = new TaskMetrics({ connector: 'c', task: 0 });
  const { sink, handlers } = await startedSinkTask({}, metrics);
  assert.ok(Number.isNaN(metrics.sinkRecordLagMax), 'unknown before any batch');
  await handlers.onAssignment([
    { topic: 't', partition: 0 },
    { topic: 't', partition: 1 },
  ]);
  const control = { heartbeat: async () => {}, isRunning: () => true, isStale: () => false };
  await handlers.onBatch(
    { topic: 't', partition: 0, messages: [message(0, 'a'), message(1, 'b')], highWatermark: 10 },
    control,
  );
  assert.equal(metrics.sinkRecordLagMax, 8, 'offsets 2..9 still to deliver');
  await handlers.onBatch(
    { topic: 't', partition: 1, messages: [message(4, 'c')], highWatermark: 30 },
    control,
  );
  assert.equal(metrics.sinkRecordLagMax, 25);
  await handlers.onAssignment([{ topic: 't', partition: 0 }]);
  assert.equal(metrics.sinkRecordLagMax, 8, 'the revoked partition no longer counts');
  await sink.stop(1_000);
});

test('while the consumer waits for its group, the RUNNING status says for which group since when; the assignment clears it', async () => {
  const { sink, handlers, states } = await startedSinkTask();
  const since = Date.parse('2026-12-04T21:00:00.000Z');
  handlers.onJoinWait?.({ groupId: 'connect-c', since, waitedMs: 5_000, freshMembers: 0 });
  handlers.onJoinWait?.({ groupId: 'connect-c', since, waitedMs: 10_000, freshMembers: 0 });
  assert.deepEqual(states.slice(-2), [
    { state: 'RUNNING' },
    {
      state: 'RUNNING',
      trace:
        'Waiting for a partition assignment from consumer group connect-c (since 2026-12-04T21:00:00.000Z)',
    },
  ]);
  handlers.onJoinWait?.({ groupId: 'connect-c', since, waitedMs: 80_000, freshMembers: 1 });
  assert.match(states.at(-1)?.trace ?? '', /rejoined as a fresh member 1 time\(s\)/);
  await handlers.onAssignment([{ topic: 't', partition: 0 }]);
  assert.deepEqual(states.at(-1), { state: 'RUNNING' });
  assert.equal(sink.lifecycle.state, 'RUNNING');
  await sink.stop(1_000);
});

test('preCommit throwing rewinds the consumer to the last committed offsets, as Connect does, so the task sees the records again', async () => {
  let context: SinkTaskContext | null = null;
  let failCommits = false;
  const { sink, handlers, seeks } = await startedSinkTask({
    start: (_config, ctx) => {
      context = ctx;
    },
    put: async () => context!.requestCommit(),
    preCommit: async (offsets) => {
      if (failCommits) throw new Error('upload failed');
      return offsets;
    },
  });
  await handlers.onAssignment([{ topic: 't', partition: 0 }]);
  const heartbeat = { heartbeat: async () => {}, isRunning: () => true, isStale: () => false };
  failCommits = true;
  await handlers.onBatch(
    { topic: 't', partition: 0, messages: [message(5, 'a'), message(6, 'b')], highWatermark: 7 },
    heartbeat,
  );
  assert.deepEqual(seeks, ['t-0@5'], 'nothing committed yet: back to where delivery started');
  failCommits = false;
  await handlers.onBatch(
    { topic: 't', partition: 0, messages: [message(5, 'a'), message(6, 'b')], highWatermark: 7 },
    heartbeat,
  );
  failCommits = true;
  await handlers.onBatch(
    { topic: 't', partition: 0, messages: [message(7, 'c')], highWatermark: 8 },
    heartbeat,
  );
  assert.deepEqual(seeks, ['t-0@5', 't-0@7'], 'back to the committed offset 7');
  assert.equal(sink.lifecycle.state, 'RUNNING', 'a failed commit does not fail the task');
  await sink.stop(1_000);
});

test('offsets a task asks for in open() are sought before the first batch; a batch fetched before the seek is not delivered', async () => {
  let context: SinkTaskContext | null = null;
  const { sink, handlers, put, seeks } = await startedSinkTask({
    start(_config, ctx) {
      context = ctx;
    },
    open(partitions) {
      for (const tp of partitions) context!.offset(tp, 42);
    },
  });
  await handlers.onAssignment([{ topic: 't', partition: 0 }]);
  assert.deepEqual(seeks, ['t-0@42'], 'sought when the partition was opened, before any batch');
  const stale = await handlers.onBatch(
    { topic: 't', partition: 0, messages: [message(0, 'old')], highWatermark: 50 },
    { heartbeat: async () => {}, isRunning: () => true, isStale: () => true },
  );
  assert.equal(stale, false, 'the batch fetched from the old position is dropped');
  assert.equal(put.length, 0);
  const fresh = await handlers.onBatch(
    { topic: 't', partition: 0, messages: [message(42, 'new')], highWatermark: 50 },
    { heartbeat: async () => {}, isRunning: () => true, isStale: () => false },
  );
  assert.equal(fresh, true);
  assert.deepEqual(
    put.map((r) => r.value),
    ['new'],
  );
  await sink.stop(1_000);
});
