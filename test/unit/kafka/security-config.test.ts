// Connect's client security keys → the client-neutral KafkaSecurity, and the errors a user sees for
// wrong ones (naming the key, never showing a secret).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';
import { parseJaasConfig } from '../../../runtime/kafka/jaas-config.js';
import { kafkaSecurityIssue, parseKafkaSecurity } from '../../../runtime/kafka/security-config.js';

// The parser looks at PEM block labels only; the bodies need not be real certificates here.
const CERT = '-----BEGIN CERTIFICATE-----\nQ0VSVA==\n-----END CERTIFICATE-----\n';
const CA = '-----BEGIN CERTIFICATE-----\nQ0E=\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nS0VZ\n-----END PRIVATE KEY-----\n';
const ENCRYPTED_KEY =
  '-----BEGIN ENCRYPTED PRIVATE KEY-----\nRUtFWQ==\n-----END ENCRYPTED PRIVATE KEY-----\n';
const SCRAM =
  'org.apache.kafka.common.security.scram.ScramLoginModule required username="sluice" password="s3cr=t;\\"x";';

const dir = mkdtempSync(join(tmpdir(), 'kafkasec-unit-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

function configError(properties: Record<string, string>, key: RegExp): SluiceError {
  try {
    parseKafkaSecurity(properties, (k) => `producer.override.${k}`);
  } catch (error) {
    assert.ok(error instanceof SluiceError, String(error));
    assert.match(error.code, /^CONFIG_(INVALID_VALUE|MISSING)$/);
    assert.match(error.message, key);
    return error;
  }
  assert.fail('no error');
}

describe('sasl.jaas.config', () => {
  test('reads the module, its flag and its options, quoted or bare, with escapes', () => {
    const module = parseJaasConfig(`${SCRAM.slice(0, -1)} tokenauth=true\n  other='single quoted' ;`);
    assert.equal(module.loginModule, 'org.apache.kafka.common.security.scram.ScramLoginModule');
    assert.equal(module.flag, 'required');
    assert.deepEqual(module.options, {
      username: 'sluice',
      password: 's3cr=t;"x',
      tokenauth: 'true',
      other: 'single quoted',
    });
  });

  test('malformed values are errors naming the key but not showing the value', () => {
    for (const text of [
      'org.Module required username="a"',
      'org.Module username="a";',
      'org.Module required username="a;',
      'org.Module required username;',
      'a required; b required;',
    ]) {
      assert.throws(
        () => parseJaasConfig(text, 'consumer.override.sasl.jaas.config'),
        (error: unknown) =>
          error instanceof SluiceError &&
          error.code === 'CONFIG_INVALID_VALUE' &&
          error.message.includes('consumer.override.sasl.jaas.config') &&
          !error.message.includes('username="a"'),
      );
    }
  });
});

describe('parseKafkaSecurity', () => {
  test('no keys: PLAINTEXT; security.protocol is case-insensitive like Kafka', () => {
    assert.deepEqual(parseKafkaSecurity({}), { protocol: 'PLAINTEXT', tls: null, sasl: null });
    assert.equal(parseKafkaSecurity({ 'security.protocol': 'ssl' }).protocol, 'SSL');
  });

  test('SASL_SSL with SCRAM and a PEM truststore file', () => {
    const security = parseKafkaSecurity({
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': SCRAM,
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': file('ca.pem', CA),
    });
    assert.deepEqual(security.sasl, {
      mechanism: 'SCRAM-SHA-512',
      username: 'sluice',
      password: 's3cr=t;"x',
    });
    assert.equal(security.tls?.trustedCertificatesPem, CA);
    assert.equal(security.tls?.verifyServerName, true);
    assert.equal(security.tls?.clientCertificateChainPem, null);
  });

  test('mTLS from one PEM key store file (key + chain), or from inline chain and key; host check off', () => {
    const fromFile = parseKafkaSecurity({
      'security.protocol': 'SSL',
      'ssl.truststore.certificates': CA,
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.location': file('keystore.pem', KEY + CERT + CA),
      'ssl.endpoint.identification.algorithm': '',
    });
    assert.equal(fromFile.tls?.clientPrivateKeyPem, KEY);
    assert.equal(fromFile.tls?.clientCertificateChainPem, CERT + CA);
    assert.equal(fromFile.tls?.verifyServerName, false);
    const inline = parseKafkaSecurity({
      'security.protocol': 'SSL',
      'ssl.keystore.type': 'PEM',
      'ssl.keystore.certificate.chain': CERT,
      'ssl.keystore.key': ENCRYPTED_KEY,
      'ssl.key.password': 'kp',
    });
    assert.equal(inline.tls?.trustedCertificatesPem, null);
    assert.equal(inline.tls?.clientPrivateKeyPassword, 'kp');
  });

  test('OAUTHBEARER takes the token endpoint and the client credentials of OAuthBearerLoginModule', () => {
    const security = parseKafkaSecurity({
      'security.protocol': 'SASL_SSL',
      'sasl.mechanism': 'OAUTHBEARER',
      'sasl.oauthbearer.token.endpoint.url': 'https://idp.example/token',
      'sasl.jaas.config':
        'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required clientId="c" clientSecret="s" scope="kafka";',
    });
    assert.deepEqual(security.sasl, {
      mechanism: 'OAUTHBEARER',
      tokenEndpointUrl: 'https://idp.example/token',
      clientId: 'c',
      clientSecret: 's',
      scope: 'kafka',
    });
  });

  test('JKS and PKCS12 stores are refused with the command that converts them, naming the key', () => {
    const typed = configError(
      {
        'security.protocol': 'SSL',
        'ssl.truststore.type': 'JKS',
        'ssl.truststore.location': file('t.pem', CA),
      },
      /producer\.override\.ssl\.truststore\.type/,
    );
    assert.match(typed.message, /keytool -importkeystore.*openssl pkcs12/);
    const sniffed = configError(
      {
        'security.protocol': 'SSL',
        'ssl.keystore.location': file('k.jks', Buffer.from([0xfe, 0xed, 0xfe, 0xed, 0, 0])),
      },
      /producer\.override\.ssl\.keystore\.location.*not PEM/,
    );
    assert.match(sniffed.message, /openssl pkcs12 -in keystore\.p12 -nodes -out keystore\.pem/);
  });

  test('unknown or unsupported values name the key', () => {
    configError(
      { 'security.protocol': 'TLS' },
      /Invalid value TLS for configuration producer\.override\.security\.protocol/,
    );
    configError(
      { 'security.protocol': 'SASL_SSL', 'sasl.jaas.config': SCRAM },
      /GSSAPI.*producer\.override\.sasl\.mechanism/,
    );
    configError(
      { 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': 'ldap' },
      /producer\.override\.ssl\.endpoint\.identification\.algorithm/,
    );
    configError(
      { 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN' },
      /"producer\.override\.sasl\.jaas\.config"/,
    );
    configError(
      { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'OAUTHBEARER' },
      /producer\.override\.sasl\.oauthbearer\.token\.endpoint\.url/,
    );
    configError(
      { 'security.protocol': 'SSL', 'ssl.truststore.location': join(dir, 'missing.pem') },
      /producer\.override\.ssl\.truststore\.location: cannot read the file/,
    );
    configError(
      {
        'security.protocol': 'SSL',
        'ssl.keystore.certificate.chain': CERT,
        'ssl.keystore.key': ENCRYPTED_KEY,
      },
      /"producer\.override\.ssl\.key\.password"/,
    );
  });

  test('an error about the JAAS config never shows the password', () => {
    const error = configError(
      {
        'security.protocol': 'SASL_SSL',
        'sasl.mechanism': 'PLAIN',
        'sasl.jaas.config': 'm required password="hunter2";',
      },
      /producer\.override\.sasl\.jaas\.config.*username/,
    );
    assert.doesNotMatch(error.message, /hunter2/);
  });

  test('kafkaSecurityIssue attaches the problem to the key as the user wrote it', () => {
    const issue = kafkaSecurityIssue(
      { 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'PLAIN', 'sasl.jaas.config': 'x' },
      (k) => `A.${k}`,
    );
    assert.equal(issue?.key, 'A.sasl.jaas.config');
    assert.equal(
      kafkaSecurityIssue({}, (k) => k),
      null,
    );
  });
});
