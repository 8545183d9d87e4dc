// TransactionalDelivery (exactly-once sources): what goes into which transaction, what the task hears and
// when, and what happens when a send, a commit or the producer's fencing fails. The producer is a fake that
// records calls; Kafka's side is covered by test/integration/exactly-once.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../runtime/api/logger.js';
import type { RecordMetadata, SourceRecord } from '../../../runtime/api/records.js';
import type { SourceTask } from '../../../runtime/api/task.js';
import { ErrorHandler } from '../../../runtime/errors/error-handler.js';
import { parseErrorHandlingConfig } from '../../../runtime/errors/error-handling-config.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import type {
  OutgoingMessage,
  ProducedMetadata,
  TransactionalProducer,
} from '../../../runtime/kafka/types.js';
import { TaskMetrics } from '../../../runtime/metrics/task-metrics.js';
import type { SourceOffsetEntry, TransactionalOffsetStore } from '../../../runtime/storage/offset-store.js';
import type { PreparedBatch } from '../../../runtime/worker/source-delivery.js';
import type { TaskEnvironment } from '../../../runtime/worker/task-environment.js';
import {
  TransactionalDelivery,
  type TransactionBoundary,
} from '../../../runtime/worker/transactional-delivery.js';

const silent: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;

/** Records every call; `failNext` makes the next call of that name throw the given error once. */
class FakeProducer implements TransactionalProducer {
  readonly transactionalId = 'g-c-0';
  readonly calls: string[] = [];
  /** Messages of committed transactions, in commit order. */
  readonly committed: OutgoingMessage[] = [];
  private open: OutgoingMessage[] | null = null;
  failNext = new Map<string, Error>();
  private offset = 0;

  private maybeFail(name: string): void {
    const error = this.failNext.get(name);
    if (error !== undefined) {
      this.failNext.delete(name);
      throw error;
    }
  }

  async beginTransaction(): Promise<void> {
    this.calls.push('begin');
    this.maybeFail('begin');
    assert.equal(this.open, null, 'one transaction at a time');
    this.open = [];
  }

  async send(messages: readonly OutgoingMessage[]): Promise<ProducedMetadata[]> {
    this.calls.push(`send ${[...new Set(messages.map((m) => m.topic))].join(',')}`);
    this.maybeFail('send');
    assert.notEqual(this.open, null, 'sends happen inside a transaction');
    this.open!.push(...messages);
    return messages.map((m) => ({ topic: m.topic, partition: 0, offset: this.offset++, timestamp: 1 }));
  }

  async commitTransaction(): Promise<void> {
    this.calls.push('commit');
    this.maybeFail('commit');
    this.committed.push(...this.open!);
    this.open = null;
  }

  async abortTransaction(): Promise<void> {
    if (this.open === null) return;
    this.calls.push('abort');
    this.open = null;
  }

  async close(): Promise<void> {}
}

function offsetStore(): TransactionalOffsetStore & { visible: SourceOffsetEntry[] } {
  const visible: SourceOffsetEntry[] = [];
  return {
    visible,
    start: async () => {},
    stop: async () => {},
    offsets: async () => new Map(),
    allOffsets: async () => [],
    write: async () => {},
    offsetRecords: (connector, entries) =>
      entries.map((e) => ({
        topic: 'offsets',
        key: Buffer.from(JSON.stringify([connector, e.partition])),
        value: Buffer.from(JSON.stringify(e.offset)),
        headers: [],
      })),
    committed: (_connector, entries) => void visible.push(...entries),
  };
}

function batch(from: number, count: number): PreparedBatch {
  const converted = Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const original: SourceRecord = {
      sourcePartition: { file: 'f' },
      sourceOffset: { position: n },
      topic: 'data',
      keySchema: null,
      key: null,
      valueSchema: null,
      value: n,
      timestamp: null,
      headers: [],
    } as unknown as SourceRecord;
    return { original, message: { topic: 'data', key: null, value: Buffer.from(String(n)), headers: [] } };
  });
  return { converted, messages: converted.map((c) => c.message) };
}

function harness(boundary: TransactionBoundary, retryTimeoutMs = 0) {
  const producer = new FakeProducer();
  const store = offsetStore();
  const heard: { committedRecords: number[]; commits: number } = { committedRecords: [], commits: 0 };
  const task: SourceTask = {
    start() {},
    poll: async () => null,
    stop() {},
    commitRecord: (record: SourceRecord, _meta: RecordMetadata | null) =>
      void heard.committedRecords.push(record.value as number),
    commit: () => void heard.commits++,
  };
  const config = parseErrorHandlingConfig({ 'errors.retry.timeout': String(retryTimeoutMs) });
  const env = {
    id: { connector: 'c', task: 0 },
    logger: silent,
    errorHandler: ErrorHandler.fromConfig(config, []),
  } as unknown as TaskEnvironment;
  const delivery = new TransactionalDelivery(env, task, producer, store, boundary, new TaskMetrics(env.id));
  return { producer, store, heard, delivery };
}

describe('TransactionalDelivery', () => {
  test('poll boundary: each batch and its offset in one send and one transaction; the task hears after commit', async () => {
    const { producer, store, heard, delivery } = harness({ kind: 'poll' });
    await delivery.deliver(batch(0, 3));
    await delivery.deliver(batch(3, 2));
    assert.deepEqual(producer.calls, [
      'begin',
      'send data,offsets',
      'commit',
      'begin',
      'send data,offsets',
      'commit',
    ]);
    assert.deepEqual(
      producer.committed.filter((m) => m.topic === 'offsets').map((m) => m.value?.toString()),
      ['{"position":2}', '{"position":4}'],
    );
    assert.deepEqual(heard.committedRecords, [0, 1, 2, 3, 4]);
    assert.equal(heard.commits, 2);
    assert.deepEqual(
      store.visible.map((e) => e.offset),
      [{ position: 2 }, { position: 4 }],
    );
  });

  test('interval boundary: batches stream into one open transaction; commit sends only the offsets', async () => {
    const { producer, heard, delivery } = harness({ kind: 'interval', intervalMs: 60_000 });
    await delivery.deliver(batch(0, 2));
    await delivery.deliver(batch(2, 2));
    assert.deepEqual(producer.calls, ['begin', 'send data', 'send data']);
    assert.deepEqual(heard.committedRecords, [], 'nothing is acknowledged to the task before the commit');
    await delivery.commitIfDue(null);
    assert.deepEqual(producer.calls.length, 3, 'not due yet');
    await delivery.commitAll();
    assert.deepEqual(producer.calls.slice(3), ['send offsets', 'commit']);
    assert.deepEqual(heard.committedRecords, [0, 1, 2, 3]);
  });

  test('a failed commit aborts and replays every batch of the transaction in a new one: nothing twice', async () => {
    const { producer, heard, delivery } = harness({ kind: 'interval', intervalMs: 60_000 }, 10_000);
    await delivery.deliver(batch(0, 2));
    await delivery.deliver(batch(2, 1));
    producer.failNext.set(
      'commit',
      new SluiceError('KAFKA_RETRIABLE', ['committing', 'COORDINATOR_LOAD_IN_PROGRESS']),
    );
    await delivery.commitAll();
    assert.deepEqual(producer.calls, [
      'begin',
      'send data',
      'send data',
      'send offsets',
      'commit',
      'abort',
      'begin',
      'send data,offsets',
      'commit',
    ]);
    const data = producer.committed.filter((m) => m.topic === 'data').map((m) => m.value?.toString());
    assert.deepEqual(data, ['0', '1', '2'], 'each record committed once');
    assert.deepEqual(heard.committedRecords, [0, 1, 2]);
  });

  test('a send that fails inside the open transaction is repaired at commit by a replay', async () => {
    const { producer, delivery } = harness({ kind: 'interval', intervalMs: 60_000 });
    await delivery.deliver(batch(0, 1));
    producer.failNext.set('send', new SluiceError('KAFKA_RETRIABLE', ['sending', 'NOT_LEADER_OR_FOLLOWER']));
    await delivery.deliver(batch(1, 1));
    await delivery.deliver(batch(2, 1));
    await delivery.commitAll();
    const data = producer.committed.filter((m) => m.topic === 'data').map((m) => m.value?.toString());
    assert.deepEqual(data, ['0', '1', '2']);
  });

  test('a fenced producer fails the delivery at once: no retry, nothing acknowledged', async () => {
    const { producer, heard, delivery } = harness({ kind: 'poll' }, 60_000);
    producer.failNext.set(
      'commit',
      new SluiceError('KAFKA_PRODUCER_FENCED', ['g-c-0', 'INVALID_PRODUCER_EPOCH']),
    );
    await assert.rejects(delivery.deliver(batch(0, 2)), /KAFKA_PRODUCER_FENCED|was fenced/);
    assert.deepEqual(producer.calls, ['begin', 'send data,offsets', 'commit', 'abort']);
    assert.deepEqual(heard.committedRecords, []);
    assert.equal(producer.committed.length, 0);
  });
});
