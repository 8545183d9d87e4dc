import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DefaultReplicationPolicy,
  IdentityReplicationPolicy,
  isCycle,
} from '../../../../connectors/mirror/replication-policy.js';
import { PartitionSyncState } from '../../../../connectors/mirror/offset-sync-writer.js';
import { OffsetSyncStore } from '../../../../connectors/mirror/offset-sync-store.js';
import {
  nameMatcher,
  parsePartitions,
  formatPartitions,
  roundRobin,
  contiguousGroups,
} from '../../../../connectors/mirror/mirror-config.js';

describe('replication policies', () => {
  const policy = new DefaultReplicationPolicy();
  test('DefaultReplicationPolicy names remote topics <alias>.<topic> and finds their source', () => {
    assert.equal(policy.formatRemoteTopic('A', 'orders'), 'A.orders');
    assert.equal(policy.topicSource('A.orders'), 'A');
    assert.equal(policy.upstreamTopic('B.A.orders'), 'A.orders');
    assert.equal(policy.topicSource('orders'), null);
    assert.equal(policy.offsetSyncsTopic('B'), 'mm2-offset-syncs.B.internal');
    assert.equal(policy.checkpointsTopic('A'), 'A.checkpoints.internal');
  });
  test('custom separator', () => {
    assert.equal(new DefaultReplicationPolicy('_').formatRemoteTopic('A', 'orders'), 'A_orders');
  });
  test('a topic that came from the target is a cycle, also through several hops', () => {
    assert.equal(isCycle(policy, 'B.orders', 'B'), true);
    assert.equal(isCycle(policy, 'C.B.orders', 'B'), true);
    assert.equal(isCycle(policy, 'C.orders', 'B'), false);
    assert.equal(isCycle(policy, 'orders', 'B'), false);
  });
  test('internal topics', () => {
    for (const t of [
      '__consumer_offsets',
      'mm2-offset-syncs.B.internal',
      'A.checkpoints.internal',
      'connect-offsets-internal',
    ])
      assert.equal(policy.isInternalTopic(t), true, t);
    assert.equal(policy.isInternalTopic('orders'), false);
  });
  test('IdentityReplicationPolicy keeps names, but prefixes heartbeats', () => {
    const identity = new IdentityReplicationPolicy();
    assert.equal(identity.formatRemoteTopic('A', 'orders'), 'orders');
    assert.equal(identity.formatRemoteTopic('A', 'heartbeats'), 'A.heartbeats');
    assert.equal(identity.topicSource('A.orders'), null);
  });
});

describe('offset syncs', () => {
  test('a sync for the first record, then once the lag reaches offset.lag.max, and on upstream gaps', () => {
    const state = new PartitionSyncState(10);
    const synced: number[] = [];
    for (let i = 0; i < 30; i++) if (state.update(i, 1000 + i)) synced.push(i);
    assert.deepEqual(synced, [0, 11, 22]);
    assert.equal(state.update(40, 1030), true, 'upstream gap (compaction) forces a sync');
  });
  test('translation never skips: at a sync exactly its downstream offset, past it one after', () => {
    const store = new OffsetSyncStore();
    store.add({ topic: 't', partition: 0, upstreamOffset: 0, downstreamOffset: 500 });
    store.add({ topic: 't', partition: 0, upstreamOffset: 100, downstreamOffset: 600 });
    assert.equal(store.translateDownstream('t', 0, 100), 600);
    assert.equal(store.translateDownstream('t', 0, 150), 601);
    assert.equal(store.translateDownstream('t', 0, 50), 501);
    assert.equal(store.translateDownstream('t', 1, 50), null);
  });
  test('a restarted history replaces syncs above it', () => {
    const store = new OffsetSyncStore();
    store.add({ topic: 't', partition: 0, upstreamOffset: 100, downstreamOffset: 600 });
    store.add({ topic: 't', partition: 0, upstreamOffset: 50, downstreamOffset: 700 });
    assert.equal(store.translateDownstream('t', 0, 120), 701);
  });
});

describe('config helpers', () => {
  test('topic lists and regexes match whole names', () => {
    const m = nameMatcher(['orders', 'audit-.*']);
    assert.equal(m('orders'), true);
    assert.equal(m('orders2'), false);
    assert.equal(m('audit-x'), true);
  });
  test('partitions survive the task config round trip, also with dashes in topic names', () => {
    const parts = [
      { topic: 'a-b', partition: 3 },
      { topic: 'c', partition: 0 },
    ];
    assert.deepEqual(parsePartitions(formatPartitions(parts)), parts);
  });
  test('tasks.max spreads partitions round robin', () => {
    assert.deepEqual(roundRobin([1, 2, 3, 4, 5], 2), [
      [1, 3, 5],
      [2, 4],
    ]);
    assert.deepEqual(roundRobin([], 3), []);
  });
  test("checkpoint groups go to tasks in consecutive runs, as Connect's groupPartitions", () => {
    assert.deepEqual(contiguousGroups(['a', 'b', 'c', 'd', 'e'], 2), [
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    assert.deepEqual(contiguousGroups(['a', 'b'], 5), [['a'], ['b']]);
    assert.deepEqual(contiguousGroups([], 3), []);
  });
});
