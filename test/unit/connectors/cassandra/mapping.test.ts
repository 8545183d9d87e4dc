import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMapping } from '../../../../connectors/cassandra/mapping.js';
import { tableTargets } from '../../../../connectors/cassandra/table-settings.js';

describe('Cassandra mapping language', () => {
  test('reads DataStax entries, specials on both sides, and quoted columns', () => {
    const m = parseMapping(
      'id=key.id, "Name"=value.user.name, h=header.trace, t=now(), k=__timestamp, __ttl=value.ttl, __timestamp=value.ts',
    );
    assert.deepEqual(
      m.columns.map((c) => [c.column, c.source]),
      [
        ['id', { kind: 'key', path: ['id'] }],
        ['Name', { kind: 'value', path: ['user', 'name'] }],
        ['h', { kind: 'header', name: 'trace' }],
        ['t', { kind: 'now' }],
        ['k', { kind: 'recordTimestamp' }],
      ],
    );
    assert.deepEqual(m.ttlSource, { kind: 'value', path: ['ttl'] });
    assert.deepEqual(m.timestampSource, { kind: 'value', path: ['ts'] });
  });

  test('unquoted column names fold to lower case; whole key and value map too', () => {
    const m = parseMapping('ID=key, Body=value');
    assert.deepEqual(
      m.columns.map((c) => c.column),
      ['id', 'body'],
    );
    assert.deepEqual(m.columns[0]!.source, { kind: 'key', path: [] });
  });

  test('errors name the entry', () => {
    assert.throws(
      () => parseMapping('id=key.id, name=vaule.name'),
      /"name=vaule\.name": "vaule\.name" must be key, value/,
    );
    assert.throws(() => parseMapping('id=key.id, id=value.id'), /column id is mapped twice/);
    assert.throws(() => parseMapping('id key.id'), /is not col=field/);
    assert.throws(() => parseMapping(' , '), /the mapping is empty/);
  });
});

describe('Cassandra topic settings', () => {
  test('dotted topic names, several tables per topic, codec keys and defaults', () => {
    const { targets, issues } = tableTargets({
      topics: 'db.public.users',
      'topic.db.public.users.ks.t1.mapping': 'id=key.id',
      'topic.db.public.users.ks.t1.ttl': '2',
      'topic.db.public.users.ks.t1.ttlTimeUnit': 'HOURS',
      'topic.db.public.users.ks.T2.mapping': 'id=key.id',
      'topic.db.public.users.ks.T2.consistencyLevel': 'local_quorum',
      'topic.db.public.users.codec.unit': 'SECONDS',
    });
    assert.deepEqual(issues, []);
    assert.deepEqual(
      targets.map((t) => [
        t.topic,
        t.keyspace,
        t.table,
        t.ttlSeconds,
        t.consistencyLevel,
        t.nullToUnset,
        t.deletesEnabled,
        t.codec.unit,
      ]),
      [
        ['db.public.users', 'ks', 't1', 7200, 'LOCAL_ONE', true, true, 'SECONDS'],
        ['db.public.users', 'ks', 't2', -1, 'LOCAL_QUORUM', true, true, 'SECONDS'],
      ],
    );
  });

  test('every problem names its key', () => {
    const { issues } = tableTargets({
      topics: 'a,b',
      'topic.a.ks.t.mapping': 'id=key.id',
      'topic.a.ks.t.consistencyLevel': 'MOST',
      'topic.a.ks.t.ttl': 'soon',
      'topic.a.ks.t.colour': 'red',
      'topic.c.ks.t.mapping': 'id=key.id',
    });
    const keys = issues.map((i) => i.key).sort();
    assert.deepEqual(keys, [
      'topic.a.ks.t.colour',
      'topic.a.ks.t.consistencyLevel',
      'topic.a.ks.t.ttl',
      'topic.c.ks.t.mapping',
      'topics',
    ]);
    assert.match(issues.find((i) => i.key === 'topics')!.message, /topic b has no table/);
  });
});
