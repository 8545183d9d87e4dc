// A connector's *.override.* security keys are checked at validation, laid over the worker's keys as
// its clients will use them, and the issue lands on the key as the user wrote it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientSecurityIssues } from '../../../runtime/config/client-security-issues.js';

const WORKER = {
  'bootstrap.servers': 'k:9093',
  'security.protocol': 'SASL_SSL',
  'sasl.mechanism': 'PLAIN',
  'sasl.jaas.config':
    'org.apache.kafka.common.security.plain.PlainLoginModule required username="w" password="p";',
  'consumer.sasl.mechanism': 'SCRAM-SHA-512',
};

test('no override security keys: nothing to check', () => {
  assert.deepEqual(clientSecurityIssues({ 'producer.override.acks': '1' }, WORKER), []);
});

test('an override that only changes the credentials is checked with the worker protocol and mechanism', () => {
  const issues = clientSecurityIssues(
    { 'consumer.override.sasl.jaas.config': 'm required username="u";' },
    WORKER,
  );
  assert.equal(issues.length, 1);
  assert.equal(issues[0]!.key, 'consumer.override.sasl.jaas.config');
  assert.match(issues[0]!.message, /SCRAM-SHA-512 needs the options username/);
});

test('a JKS store under producer.override is named as written', () => {
  const [issue] = clientSecurityIssues(
    {
      'producer.override.ssl.truststore.type': 'JKS',
      'producer.override.ssl.truststore.location': '/etc/kafka/truststore.jks',
    },
    WORKER,
  );
  assert.equal(issue?.key, 'producer.override.ssl.truststore.type');
  assert.match(issue!.message, /convert it to PEM/);
});

test('a good override passes', () => {
  assert.deepEqual(
    clientSecurityIssues(
      {
        'admin.override.sasl.jaas.config':
          'org.apache.kafka.common.security.plain.PlainLoginModule required username="a" password="b";',
      },
      WORKER,
    ),
    [],
  );
});
