import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../runtime/api/logger.js';
import { ConfigEncryption, parseEncryptionKey } from '../../../runtime/security/config-encryption.js';

function logger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, debug() {}, info() {}, warn() {}, error: (m: string) => void errors.push(m) };
}

describe('config encryption at rest', () => {
  const key = randomBytes(32);
  const config = {
    'connector.class': 'PostgresSink',
    'connection.password': 'hunter2',
    'ssl.keystore.key': '-----BEGIN PRIVATE KEY-----',
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'sasl.jaas.config': '${file:/etc/secrets.properties:jaas}',
    'empty.password': '',
  };

  test('literal secrets are sealed, everything else is kept, and opening gives the config back', () => {
    const encryption = new ConfigEncryption(key, logger());
    const sealed = encryption.seal(config);
    assert.match(sealed['connection.password']!, /^sealed:aes-256-gcm:[0-9a-f]{8}:/);
    assert.match(sealed['ssl.keystore.key']!, /^sealed:aes-256-gcm:/);
    for (const kept of ['connector.class', 'key.converter', 'sasl.jaas.config', 'empty.password'] as const)
      assert.equal(sealed[kept], config[kept], kept);
    assert.notEqual(encryption.seal(config)['connection.password'], sealed['connection.password']);
    assert.deepEqual(encryption.open(sealed), config);
    assert.deepEqual(encryption.seal(sealed), sealed, 'sealing twice changes nothing');
  });

  test('a value moved to another key, altered or sealed with another key stays sealed and is reported', () => {
    const log = logger();
    const encryption = new ConfigEncryption(key, log);
    const sealed = encryption.seal(config);
    const moved = encryption.open({ 'other.password': sealed['connection.password']! });
    assert.equal(moved['other.password'], sealed['connection.password']);
    const other = new ConfigEncryption(randomBytes(32), log).open(sealed);
    assert.equal(other['connection.password'], sealed['connection.password']);
    assert.equal(log.errors.length, 3, log.errors.join('\n'));
    assert.match(log.errors[1]!, /sealed with key [0-9a-f]{8}, this worker has key [0-9a-f]{8}/);
    assert.ok(!log.errors.join('\n').includes('hunter2'));
  });

  test('keys are 32 bytes, hex or base64', () => {
    assert.equal(parseEncryptionKey(key.toString('hex')).length, 32);
    assert.equal(parseEncryptionKey(` ${key.toString('base64')}\n`).length, 32);
    assert.throws(() => parseEncryptionKey('too-short'), /32 bytes/);
  });
});
