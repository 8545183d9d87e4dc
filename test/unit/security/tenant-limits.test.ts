import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTenantConnector } from '../../../runtime/security/tenant-limits.js';
import type { TenantLimits } from '../../../runtime/security/tenant-directory.js';

const limits: TenantLimits = {
  plugins: ['DatagenSource', 'org.apache.kafka.connect.file.FileStreamSourceConnector'],
  topicPrefixes: ['a.'],
  configProviders: ['file'],
  configPaths: ['/etc/sluice/a/'],
  maxConnectors: 2,
  maxTasks: 3,
  produceBytesPerSecond: null,
  consumeBytesPerSecond: null,
};
const DATAGEN = 'sluice.connect.datagen.DatagenSourceConnector';
const check = (
  config: Record<string, string>,
  existing: { name: string; config: Record<string, string> }[] = [],
) => checkTenantConnector('a', limits, 'a.c', config, existing);

describe('tenant limits', () => {
  test('plugins by full name, simple name or alias', () => {
    check({ 'connector.class': DATAGEN, 'kafka.topic': 'a.t' });
    check({ 'connector.class': 'FileStreamSource', topic: 'a.t' });
    assert.throws(() => check({ 'connector.class': 'FileStreamSink', topics: 'a.t' }), /TENANT_LIMIT|plugin/);
  });

  test('an alias and the class it stands for are the same plugin, either way round', () => {
    const cdc = 'io.debezium.connector.postgresql.PostgresConnector';
    const classOf = (name: string): string | undefined =>
      name === 'PostgresCdcSource' || name === cdc ? cdc : undefined;
    const allowAlias = { ...limits, plugins: ['PostgresCdcSource'] };
    const allowClass = { ...limits, plugins: [cdc] };
    const config = (cls: string) => ({ 'connector.class': cls, 'topic.prefix': 'a' });
    checkTenantConnector('a', allowAlias, 'a.c', config(cdc), [], classOf);
    checkTenantConnector('a', allowClass, 'a.c', config('PostgresCdcSource'), [], classOf);
    assert.throws(() => checkTenantConnector('a', allowAlias, 'a.c', config(DATAGEN), [], classOf), /plugin/);
  });

  test('topics of sinks, regexes, DLQs, prefixes and mirror aliases stay under the prefixes', () => {
    const base = { 'connector.class': DATAGEN };
    check({ ...base, topics: 'a.x, a.y', 'topics.regex': '' });
    check({ ...base, 'topics.regex': 'a\\.orders-.*' });
    assert.throws(() => check({ ...base, topics: 'a.x,b.y' }), /topics=b\.y/);
    assert.throws(() => check({ ...base, 'topics.regex': '.*' }), /topics\.regex/);
    assert.throws(() => check({ ...base, 'topics.regex': 'a.*' }), /topics\.regex/);
    assert.throws(() => check({ ...base, 'topics.regex': 'a\\.?x' }), /topics\.regex/);
    assert.throws(() => check({ ...base, 'errors.deadletterqueue.topic.name': 'dlq' }), /deadletterqueue/);
    assert.throws(() => check({ ...base, 'topic.prefix': 'b' }), /topic\.prefix/);
    check({ ...base, 'topic.prefix': 'a' });
    assert.throws(() => check({ ...base, 'source.cluster.alias': 'src' }), /source\.cluster\.alias/);
    assert.throws(
      () => check({ ...base, 'transforms.r.type': 'org.apache.kafka.connect.transforms.RegexRouter' }),
      /rename topics/,
    );
  });

  test('config providers and paths, with .. resolved', () => {
    const base = { 'connector.class': DATAGEN, 'kafka.topic': 'a.t' };
    check({ ...base, password: '${file:/etc/sluice/a/db.properties:password}' });
    assert.throws(() => check({ ...base, password: '${env:SECRET}' }), /config provider 'env'/);
    assert.throws(
      () => check({ ...base, password: '${file:/etc/sluice/a/../b/db.properties:password}' }),
      /outside its config paths/,
    );
  });

  test('connectors and tasks are counted, the replaced connector once', () => {
    const base = { 'connector.class': DATAGEN, 'kafka.topic': 'a.t' };
    const one = { name: 'a.one', config: { ...base, 'tasks.max': '2' } };
    check({ ...base, 'tasks.max': '1' }, [one]);
    assert.throws(() => check({ ...base, 'tasks.max': '2' }, [one]), /at most 3 task/);
    assert.throws(() => check(base, [one, { name: 'a.two', config: base }]), /at most 2 connector/);
    check({ ...base, 'tasks.max': '3' }, [{ name: 'a.c', config: { ...base, 'tasks.max': '3' } }]);
  });
});
