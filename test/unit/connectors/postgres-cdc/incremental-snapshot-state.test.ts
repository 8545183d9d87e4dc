import assert from 'node:assert/strict';
import type { JsonObject } from '../../../../runtime/api/index.js';
import { describe, test } from 'node:test';
import {
  finished,
  kafkaSignalOffsetFrom,
  NO_SNAPSHOT,
  OffsetKeys,
  stateFromOffset,
  stateOffsetFields,
  type IncrementalState,
} from '../../../../connectors/postgres/cdc/incremental-snapshot-state.js';
import {
  dataCollectionsOf,
  parseSignal,
  snapshotTypeOf,
} from '../../../../connectors/postgres/cdc/signals.js';

const running: IncrementalState = {
  collections: ['public.orders', 'shop.items'],
  lastKey: ['1024', null],
  maxKey: ['99999', 'z'],
  signalIds: ['job-1', 'adhoc'],
  rows: 1000,
  chunks: 1,
  completed: ['old'],
};

describe('incremental snapshot position in the source offset', () => {
  test('a running snapshot survives the round trip through the offset, under Debezium key names', () => {
    const fields = stateOffsetFields(running);
    assert.equal(fields[OffsetKeys.CORRELATION_ID], 'job-1');
    assert.deepEqual(JSON.parse(String(fields[OffsetKeys.COLLECTIONS])), [
      {
        incremental_snapshot_collections_id: 'public.orders',
        incremental_snapshot_collections_additional_condition: null,
        incremental_snapshot_collections_surrogate_key: null,
      },
      {
        incremental_snapshot_collections_id: 'shop.items',
        incremental_snapshot_collections_additional_condition: null,
        incremental_snapshot_collections_surrogate_key: null,
      },
    ]);
    // Stored as JSON (the offset is plain JSON), next to the streaming position.
    const stored = JSON.parse(JSON.stringify({ lsn: 123, ...fields })) as JsonObject;
    assert.deepEqual(stateFromOffset(stored), running);
  });

  test('no keys at all before any incremental snapshot; a streaming offset reads as none running', () => {
    assert.deepEqual(stateOffsetFields(NO_SNAPSHOT), {});
    assert.deepEqual(stateFromOffset({ lsn: 1, lsn_commit: 1 }), NO_SNAPSHOT);
    assert.deepEqual(stateFromOffset(null), NO_SNAPSHOT);
  });

  test('a finished snapshot keeps only its counts and joins the completed ids (the last 20)', () => {
    const done = finished(running);
    assert.deepEqual(done.collections, []);
    assert.deepEqual(done.completed, ['old', 'job-1', 'adhoc']);
    assert.equal(done.rows, 1000);
    const fields = stateOffsetFields(done);
    assert.equal(fields[OffsetKeys.COLLECTIONS], undefined);
    assert.deepEqual(stateFromOffset(fields).completed, ['old', 'job-1', 'adhoc']);
    const many = finished({ ...running, completed: Array.from({ length: 30 }, (_, i) => `s${i}`) });
    assert.equal(many.completed.length, 20);
    assert.equal(many.completed.at(-1), 'adhoc');
  });
});

describe('signal rows', () => {
  test("Debezium's execute-snapshot data: collections (a bare table is in public) and the type", () => {
    const signal = parseSignal(
      'id-1',
      'Execute-Snapshot',
      '{"data-collections": ["inventory.orders", "items"], "type": "INCREMENTAL"}',
    );
    assert.equal(signal.type, 'execute-snapshot');
    assert.deepEqual(dataCollectionsOf(signal), ['inventory.orders', 'public.items']);
    assert.equal(snapshotTypeOf(signal), 'incremental');
    assert.equal(
      snapshotTypeOf(parseSignal('x', 'execute-snapshot', '{"data-collections": []}')),
      'incremental',
    );
    assert.equal(snapshotTypeOf(parseSignal('x', 'execute-snapshot', '{"type": "blocking"}')), 'blocking');
  });

  test('data that is not a JSON object reads as empty', () => {
    assert.deepEqual(dataCollectionsOf(parseSignal('x', 'stop-snapshot', null)), []);
    assert.deepEqual(dataCollectionsOf(parseSignal('x', 'stop-snapshot', 'not json')), []);
    assert.deepEqual(dataCollectionsOf(parseSignal('x', 'stop-snapshot', '[1]')), []);
  });
});

test('the Kafka signal offset is read back from an offset as Debezium stores it, and only as a whole non-negative number', () => {
  assert.equal(kafkaSignalOffsetFrom(null), null);
  assert.equal(kafkaSignalOffsetFrom({ lsn: 5 }), null);
  assert.equal(kafkaSignalOffsetFrom({ [OffsetKeys.KAFKA_SIGNAL_OFFSET]: 0 }), 0);
  assert.equal(kafkaSignalOffsetFrom({ [OffsetKeys.KAFKA_SIGNAL_OFFSET]: 41 }), 41);
  assert.equal(kafkaSignalOffsetFrom({ [OffsetKeys.KAFKA_SIGNAL_OFFSET]: '41' }), null);
  assert.equal(kafkaSignalOffsetFrom({ [OffsetKeys.KAFKA_SIGNAL_OFFSET]: -1 }), null);
  assert.equal(OffsetKeys.KAFKA_SIGNAL_OFFSET, 'incremental_snapshot_signal_offset');
});
