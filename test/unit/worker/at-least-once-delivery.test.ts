// AtLeastOnceDelivery: commit() covers exactly the records the task heard commitRecord() for before it.
// A record acknowledged while the offsets are being written is not in that write, so the task hears of it
// only after commit(); otherwise a CDC task would confirm its slot past the stored offsets.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../runtime/api/logger.js';
import type { SourceRecord } from '../../../runtime/api/records.js';
import type { SourceTask } from '../../../runtime/api/task.js';
import { ErrorHandler } from '../../../runtime/errors/error-handler.js';
import { parseErrorHandlingConfig } from '../../../runtime/errors/error-handling-config.js';
import type { KafkaProducer, OutgoingMessage, ProducedMetadata } from '../../../runtime/kafka/types.js';
import { TaskMetrics } from '../../../runtime/metrics/task-metrics.js';
import type { OffsetStore, SourceOffsetEntry } from '../../../runtime/storage/offset-store.js';
import { AtLeastOnceDelivery } from '../../../runtime/worker/at-least-once-delivery.js';
import type { PreparedBatch } from '../../../runtime/worker/source-delivery.js';
import type { TaskEnvironment } from '../../../runtime/worker/task-environment.js';

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

const producer: KafkaProducer = {
  send: async (messages: readonly OutgoingMessage[]): Promise<ProducedMetadata[]> =>
    messages.map((m, i) => ({ topic: m.topic, partition: 0, offset: i, timestamp: 1 })),
  close: async () => {},
} as unknown as KafkaProducer;

function batch(from: number, count: number): PreparedBatch {
  const converted = Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const original = {
      sourcePartition: { file: 'f' },
      sourceOffset: { position: n },
      value: n,
    } as unknown as SourceRecord;
    return { original, message: { topic: 'data', key: null, value: Buffer.from(String(n)), headers: [] } };
  });
  return { converted, messages: converted.map((c) => c.message) };
}

describe('AtLeastOnceDelivery', () => {
  test('records acknowledged during an offset write hear commitRecord() only after that commit()', async () => {
    const events: string[] = [];
    const written: SourceOffsetEntry[][] = [];
    let releaseWrite: () => void = () => {};
    const store = {
      write: (_connector: string, entries: SourceOffsetEntry[]) => {
        written.push(entries);
        return new Promise<void>((resolve) => (releaseWrite = resolve));
      },
    } as unknown as OffsetStore;
    const task: SourceTask = {
      start() {},
      poll: async () => null,
      stop() {},
      commitRecord: (record: SourceRecord) => void events.push(`record ${record.value as number}`),
      commit: () => void events.push('commit'),
    };
    const env = {
      id: { connector: 'c', task: 0 },
      logger: silent,
      errorHandler: ErrorHandler.fromConfig(parseErrorHandlingConfig({}), []),
      offsetFlushIntervalMs: 60_000,
    } as unknown as TaskEnvironment;
    const delivery = new AtLeastOnceDelivery(env, task, producer, store, new TaskMetrics(env.id));

    await delivery.deliver(batch(0, 2));
    const firstCommit = delivery.commitAll();
    await delivery.deliver(batch(2, 2));
    assert.deepEqual(events, ['record 0', 'record 1'], 'records 2 and 3 wait for the write under way');
    releaseWrite();
    await firstCommit;
    assert.deepEqual(events, ['record 0', 'record 1', 'commit', 'record 2', 'record 3']);
    assert.deepEqual(
      written[0]!.map((e) => e.offset),
      [{ position: 1 }],
    );

    const secondCommit = delivery.commitAll();
    releaseWrite();
    await secondCommit;
    assert.deepEqual(
      written[1]!.map((e) => e.offset),
      [{ position: 3 }],
      'the held records are in the next write',
    );
    assert.equal(events.at(-1), 'commit');
  });
});
