import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkerConfig, subConfig } from '../../../runtime/config/worker-config.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';

const standalone = { 'offset.storage.file.filename': '/tmp/connect.offsets' };
const distributed = {
  'group.id': 'connect-cluster',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
};

function assertConfigError(fn: () => unknown, code: string, key: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof SluiceError, String(e));
    assert.equal(e.code, code);
    assert.ok(e.message.includes(key), e.message);
    return true;
  });
}

describe('parseWorkerConfig', () => {
  test('standalone defaults match Connect, except listeners bound to loopback', () => {
    const config = parseWorkerConfig(standalone, 'standalone');
    assert.equal(config.mode, 'standalone');
    assert.deepEqual(config.bootstrapServers, ['localhost:9092']);
    assert.deepEqual(config.listeners, ['http://127.0.0.1:8083']);
    assert.equal(config.keyConverter, 'org.apache.kafka.connect.json.JsonConverter');
    assert.equal(config.valueConverter, 'org.apache.kafka.connect.json.JsonConverter');
    assert.equal(config.headerConverter, 'org.apache.kafka.connect.storage.SimpleHeaderConverter');
    assert.equal(config.offsetFlushIntervalMs, 60000);
    assert.equal(config.offsetFlushTimeoutMs, 5000);
    assert.equal(config.taskShutdownGracefulTimeoutMs, 5000);
    assert.equal(config.topicCreationEnable, true);
    assert.equal(config.exactlyOnceSourceSupport, 'disabled');
    assert.equal(config.restAdvertisedPort, null);
    if (config.mode === 'standalone') assert.equal(config.offsetStorageFileFilename, '/tmp/connect.offsets');
  });

  test('distributed defaults match Connect', () => {
    const config = parseWorkerConfig(distributed, 'distributed');
    assert.equal(config.mode, 'distributed');
    if (config.mode !== 'distributed') return;
    assert.equal(config.groupId, 'connect-cluster');
    assert.equal(config.scheduledRebalanceMaxDelayMs, 300000);
    assert.equal(config.heartbeatIntervalMs, 3000);
    assert.equal(config.sessionTimeoutMs, 10000);
    assert.equal(config.rebalanceTimeoutMs, 60000);
    assert.equal(config.workerSyncTimeoutMs, 3000);
    assert.equal(config.offsetStoragePartitions, 25);
    assert.equal(config.statusStoragePartitions, 5);
    assert.equal(config.configStorageReplicationFactor, 3);
    assert.equal(config.offsetStorageReplicationFactor, 3);
    assert.equal(config.statusStorageReplicationFactor, 3);
  });

  test('standalone requires offset.storage.file.filename', () => {
    assertConfigError(
      () => parseWorkerConfig({}, 'standalone'),
      'CONFIG_MISSING',
      'offset.storage.file.filename',
    );
  });

  test('distributed requires group.id and the three storage topics', () => {
    for (const key of Object.keys(distributed)) {
      const raw: Record<string, string> = { ...distributed };
      delete raw[key];
      assertConfigError(() => parseWorkerConfig(raw, 'distributed'), 'CONFIG_MISSING', key);
    }
  });

  test('a bad value names the key and the value', () => {
    assertConfigError(
      () => parseWorkerConfig({ ...standalone, 'offset.flush.interval.ms': 'soon' }, 'standalone'),
      'CONFIG_INVALID_VALUE',
      'offset.flush.interval.ms',
    );
    assertConfigError(
      () => parseWorkerConfig({ ...standalone, 'topic.creation.enable': 'yes' }, 'standalone'),
      'CONFIG_INVALID_VALUE',
      'topic.creation.enable',
    );
    assertConfigError(
      () => parseWorkerConfig({ ...standalone, listeners: 'localhost:8083' }, 'standalone'),
      'CONFIG_INVALID_VALUE',
      'listeners',
    );
    assertConfigError(
      () => parseWorkerConfig({ ...distributed, 'offset.storage.replication.factor': '0' }, 'distributed'),
      'CONFIG_INVALID_VALUE',
      'offset.storage.replication.factor',
    );
    assertConfigError(
      () => parseWorkerConfig({ ...distributed, 'exactly.once.source.support': 'sometimes' }, 'distributed'),
      'CONFIG_INVALID_VALUE',
      'exactly.once.source.support',
    );
  });

  test('-1 (broker default) is a valid replication factor and partition count', () => {
    const config = parseWorkerConfig(
      { ...distributed, 'offset.storage.replication.factor': '-1', 'offset.storage.partitions': '-1' },
      'distributed',
    );
    assert.ok(
      config.mode === 'distributed' &&
        config.offsetStorageReplicationFactor === -1 &&
        config.offsetStoragePartitions === -1,
    );
  });

  test('accepts Connect-style listeners, including every interface and several listeners', () => {
    const config = parseWorkerConfig(
      { ...standalone, listeners: 'http://:8083, https://[::1]:8443,http://my-host.local:80' },
      'standalone',
    );
    assert.deepEqual(config.listeners, ['http://:8083', 'https://[::1]:8443', 'http://my-host.local:80']);
  });

  test('keeps producer.*, consumer.*, admin.* and converter settings with their prefix stripped', () => {
    const config = parseWorkerConfig(
      {
        ...standalone,
        'producer.acks': 'all',
        'consumer.max.poll.records': '10',
        'admin.request.timeout.ms': '1000',
        'value.converter.schemas.enable': 'false',
        'sasl.mechanism': 'PLAIN',
      },
      'standalone',
    );
    assert.deepEqual(config.producer, { acks: 'all' });
    assert.deepEqual(config.consumer, { 'max.poll.records': '10' });
    assert.deepEqual(config.admin, { 'request.timeout.ms': '1000' });
    assert.deepEqual(config.converterConfigs.value, { 'schemas.enable': 'false' });
    assert.deepEqual(config.converterConfigs.key, {});
    assert.equal(config.raw['sasl.mechanism'], 'PLAIN');
  });

  test('a declared config provider needs a known class', () => {
    assertConfigError(
      () => parseWorkerConfig({ ...standalone, 'config.providers': 'vault' }, 'standalone'),
      'CONFIG_MISSING',
      'config.providers.vault.class',
    );
    assertConfigError(
      () =>
        parseWorkerConfig(
          {
            ...standalone,
            'config.providers': 'vault',
            'config.providers.vault.class': 'com.example.VaultProvider',
          },
          'standalone',
        ),
      'CONFIG_INVALID_VALUE',
      'config.providers.vault.class',
    );
    const ok = parseWorkerConfig(
      {
        ...standalone,
        'config.providers': 'file,secrets',
        'config.providers.secrets.class': 'org.apache.kafka.common.config.provider.DirectoryConfigProvider',
      },
      'standalone',
    );
    assert.deepEqual(ok.configProviders, ['file', 'secrets']);
  });
});

describe('subConfig', () => {
  test('strips the prefix and ignores other keys and the bare prefix', () => {
    assert.deepEqual(
      subConfig(
        { 'value.converter': 'X', 'value.converter.schemas.enable': 'true', 'key.converter.a': 'b' },
        'value.converter.',
      ),
      { 'schemas.enable': 'true' },
    );
  });
});
