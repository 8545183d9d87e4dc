import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupFor, topicCreationGroups } from '../../../runtime/worker/topic-creation.js';

test('topic creation is off unless the default group has replication factor and partitions', () => {
  assert.equal(topicCreationGroups({ 'topic.creation.default.partitions': '3' }, true), null);
  assert.equal(
    topicCreationGroups(
      { 'topic.creation.default.partitions': '3', 'topic.creation.default.replication.factor': '1' },
      false,
    ),
    null,
  );
});

test('named groups are matched in order before the default group, with their own settings', () => {
  const groups = topicCreationGroups(
    {
      'topic.creation.default.partitions': '3',
      'topic.creation.default.replication.factor': '1',
      'topic.creation.groups': 'compacted',
      'topic.creation.compacted.include': 'cdc\\..*',
      'topic.creation.compacted.exclude': 'cdc\\.tmp',
      'topic.creation.compacted.partitions': '6',
      'topic.creation.compacted.cleanup.policy': 'compact',
    },
    true,
  );
  assert.ok(groups);
  const cdc = groupFor(groups, 'cdc.orders');
  assert.equal(cdc?.name, 'compacted');
  assert.equal(cdc?.partitions, 6);
  assert.equal(cdc?.replicationFactor, 1, 'falls back to the default group replication factor');
  assert.deepEqual(cdc?.configs, { 'cleanup.policy': 'compact' });
  assert.equal(groupFor(groups, 'cdc.tmp')?.name, 'default');
  assert.equal(groupFor(groups, 'other')?.partitions, 3);
});
