import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolationLevelIssues, isolationLevelOf } from '../../../runtime/kafka/isolation-level.js';

test('sink consumers read committed unless isolation.level says read_uncommitted; other values name the key', () => {
  assert.equal(isolationLevelOf({}), 'read_committed');
  assert.equal(isolationLevelOf({ 'isolation.level': 'read_committed' }), 'read_committed');
  assert.equal(isolationLevelOf({ 'isolation.level': ' READ_UNCOMMITTED ' }), 'read_uncommitted');
  assert.throws(
    () => isolationLevelOf({ 'isolation.level': 'dirty' }),
    /Invalid value dirty for configuration consumer\.\[override\.\]isolation\.level: String must be one of: read_committed, read_uncommitted/,
  );
  assert.deepEqual(isolationLevelIssues({ 'consumer.override.isolation.level': 'read_uncommitted' }), []);
  assert.equal(
    isolationLevelIssues({ 'consumer.override.isolation.level': 'dirty' })[0]?.key,
    'consumer.override.isolation.level',
  );
});
