/** Turns the client-neutral KafkaSecurity into kafkajs's `ssl` and `sasl` options. */
import type { ConnectionOptions } from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { OAuthTokenSource } from './oauth-token-source.js';
import type { KafkaSecurity, SaslSettings, TlsSettings } from './security-config.js';

function tlsOptions(tls: TlsSettings): ConnectionOptions {
  return {
    ...(tls.trustedCertificatesPem !== null ? { ca: tls.trustedCertificatesPem } : {}),
    ...(tls.clientCertificateChainPem !== null ? { cert: tls.clientCertificateChainPem } : {}),
    ...(tls.clientPrivateKeyPem !== null ? { key: tls.clientPrivateKeyPem } : {}),
    ...(tls.clientPrivateKeyPassword !== null ? { passphrase: tls.clientPrivateKeyPassword } : {}),
    rejectUnauthorized: true,
    // ssl.endpoint.identification.algorithm="": the chain is still verified, the host name is not.
    ...(tls.verifyServerName ? {} : { checkServerIdentity: () => undefined }),
  };
}

function saslOptions(sasl: SaslSettings): SASLOptions {
  switch (sasl.mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', username: sasl.username, password: sasl.password };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
    case 'OAUTHBEARER': {
      const tokens = new OAuthTokenSource(sasl);
      return { mechanism: 'oauthbearer', oauthBearerProvider: async () => ({ value: await tokens.token() }) };
    }
  }
}

/** The kafkajs client options for `security`; PLAINTEXT adds none. */
export function kafkajsSecurityOptions(security: KafkaSecurity): Pick<KafkaConfig, 'ssl' | 'sasl'> {
  return {
    ...(security.tls !== null ? { ssl: tlsOptions(security.tls) } : {}),
    ...(security.sasl !== null ? { sasl: saslOptions(security.sasl) } : {}),
  };
}
