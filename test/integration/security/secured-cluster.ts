// Client properties for cluster A's secured listeners (docs/services.md): SASL_SSL with SCRAM-SHA-512
// and SSL with a client certificate, as a user writes them; and a CA nobody trusts, for the failures.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  KAFKA_CA_PEM,
  KAFKA_CLIENT_CERT_PEM,
  KAFKA_CLIENT_KEY_PEM,
  KAFKA_SASL_BOOTSTRAP,
  KAFKA_SASL_PASSWORD,
  KAFKA_SASL_USER,
  KAFKA_SSL_BOOTSTRAP,
} from '../../support/endpoints.js';

export const scramJaas = (user: string, password: string): string =>
  `org.apache.kafka.common.security.scram.ScramLoginModule required username="${user}" password="${password}";`;

/** Client properties of the SASL_SSL listener (without bootstrap.servers). */
export const SASL_SSL_PROPERTIES: Readonly<Record<string, string>> = {
  'security.protocol': 'SASL_SSL',
  'sasl.mechanism': 'SCRAM-SHA-512',
  'sasl.jaas.config': scramJaas(KAFKA_SASL_USER, KAFKA_SASL_PASSWORD),
  'ssl.truststore.type': 'PEM',
  'ssl.truststore.location': KAFKA_CA_PEM,
};

/**
 * Client properties of the SSL listener that requires a client certificate (without bootstrap.servers),
 * with Kafka's PEM key store file (private key, then the certificate chain) written into `dir`.
 */
export function mtlsProperties(dir: string): Record<string, string> {
  const keystore = join(dir, 'client-keystore.pem');
  writeFileSync(
    keystore,
    readFileSync(KAFKA_CLIENT_KEY_PEM, 'utf8') + readFileSync(KAFKA_CLIENT_CERT_PEM, 'utf8'),
  );
  return {
    'security.protocol': 'SSL',
    'ssl.truststore.type': 'PEM',
    'ssl.truststore.location': KAFKA_CA_PEM,
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.location': keystore,
  };
}

/** The same client certificate as inline PEM values (`ssl.keystore.certificate.chain` + `ssl.keystore.key`), for REST bodies. */
export function inlineClientCertificate(): Record<string, string> {
  return {
    'ssl.keystore.type': 'PEM',
    'ssl.keystore.certificate.chain': readFileSync(KAFKA_CLIENT_CERT_PEM, 'utf8'),
    'ssl.keystore.key': readFileSync(KAFKA_CLIENT_KEY_PEM, 'utf8'),
  };
}

export { KAFKA_SASL_BOOTSTRAP, KAFKA_SSL_BOOTSTRAP };

/** A self-signed CA of its own in `dir`: a client trusting only it must refuse the brokers' certificate. */
export function untrustedCa(dir: string): string {
  const key = join(dir, 'other-ca.key');
  const pem = join(dir, 'other-ca.pem');
  execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', key], {
    stdio: 'ignore',
  });
  execFileSync(
    'openssl',
    ['req', '-x509', '-new', '-key', key, '-subj', '/CN=Not the Sluice CA', '-days', '1', '-out', pem],
    {
      stdio: 'ignore',
    },
  );
  return pem;
}
