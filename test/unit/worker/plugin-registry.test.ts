import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinPlugins } from '../../../cli/builtin-plugins.js';
import { PluginRegistry, taskClassNameOf } from '../../../runtime/worker/plugin-registry.js';

describe('PluginRegistry', () => {
  const registry = new PluginRegistry(builtinPlugins);

  test('GET /connector-plugins lists the fully qualified class names Connect lists, with type and version', () => {
    const listed = registry.list(true);
    const expected: [string, 'source' | 'sink'][] = [
      ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'source'],
      ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'sink'],
      ['org.apache.kafka.connect.mirror.MirrorSourceConnector', 'source'],
      ['org.apache.kafka.connect.mirror.MirrorCheckpointConnector', 'source'],
      ['org.apache.kafka.connect.mirror.MirrorHeartbeatConnector', 'source'],
      ['io.debezium.connector.postgresql.PostgresConnector', 'source'],
      ['io.debezium.connector.jdbc.JdbcSinkConnector', 'sink'],
      ['io.confluent.connect.s3.S3SinkConnector', 'sink'],
      ['io.confluent.connect.s3.source.S3SourceConnector', 'source'],
      ['com.datastax.oss.kafka.sink.CassandraSinkConnector', 'sink'],
      ['sluice.connect.datagen.DatagenSourceConnector', 'source'],
    ];
    for (const [cls, type] of expected) {
      const entry = listed.find((p) => p.class === cls);
      assert.ok(entry, `${cls} is not listed: ${listed.map((p) => p.class).join(', ')}`);
      assert.equal(entry.type, type);
      assert.match(entry.version ?? '', /^\d+\.\d+\.\d+/);
    }
    assert.equal(listed.length, expected.length, 'one entry per connector plugin');
    for (const p of registry.list(false)) assert.match(p.class, /^[a-z]+(\.[a-z0-9]+)+\.[A-Z]\w*(\$\w+)?$/);
  });

  test('short names and aliases still find the same plugin', () => {
    const pairs: [string, string][] = [
      ['FileStreamSink', 'org.apache.kafka.connect.file.FileStreamSinkConnector'],
      ['FileStreamSinkConnector', 'org.apache.kafka.connect.file.FileStreamSinkConnector'],
      ['FileStreamSource', 'org.apache.kafka.connect.file.FileStreamSourceConnector'],
      ['DatagenSource', 'sluice.connect.datagen.DatagenSourceConnector'],
      ['datagen', 'sluice.connect.datagen.DatagenSourceConnector'],
      ['PostgresCdcSource', 'io.debezium.connector.postgresql.PostgresConnector'],
      ['PostgresConnector', 'io.debezium.connector.postgresql.PostgresConnector'],
      ['PostgresSink', 'io.debezium.connector.jdbc.JdbcSinkConnector'],
      ['S3Sink', 'io.confluent.connect.s3.S3SinkConnector'],
      ['MirrorSourceConnector', 'org.apache.kafka.connect.mirror.MirrorSourceConnector'],
      ['CassandraSink', 'com.datastax.oss.kafka.sink.CassandraSinkConnector'],
    ];
    for (const [alias, cls] of pairs) assert.equal(registry.connector(alias)?.className, cls, alias);
  });

  test("each connector plugin names its task class as Connect's task.class", () => {
    const task = (name: string): string => taskClassNameOf(registry.requireConnector(name));
    assert.equal(task('FileStreamSink'), 'org.apache.kafka.connect.file.FileStreamSinkTask');
    assert.equal(task('FileStreamSource'), 'org.apache.kafka.connect.file.FileStreamSourceTask');
    assert.equal(task('MirrorSourceConnector'), 'org.apache.kafka.connect.mirror.MirrorSourceTask');
    assert.equal(task('PostgresCdcSource'), 'io.debezium.connector.postgresql.PostgresConnectorTask');
    assert.equal(task('S3Sink'), 'io.confluent.connect.s3.S3SinkTask');
    const thirdParty = {
      ...registry.requireConnector('FileStreamSink'),
      className: 'com.example.FooConnector',
    };
    delete (thirdParty as { taskClassName?: string }).taskClassName;
    assert.equal(taskClassNameOf(thirdParty), 'com.example.FooTask');
  });
});
