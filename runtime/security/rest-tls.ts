/**
 * TLS for the REST listeners and for the requests workers send each other, from Connect's keys:
 * `listeners.https.ssl.*` first, the worker's own `ssl.*` keys as the fallback (Connect's RestServerConfig
 * does the same). Stores are PEM only, read with the same checks as Kafka clients' stores.
 */
import { parseKafkaSecurity, type TlsSettings } from '../kafka/security-config.js';
import { SluiceError } from '../errors/sluice-error.js';

const PREFIX = 'listeners.https.';

/** What an https listener needs: its own key and chain, and (for client certificates) the CAs it trusts. */
export interface RestServerTls {
  readonly key: string;
  readonly cert: string;
  readonly passphrase?: string;
  /** Trusted client CAs; absent: the platform's. */
  readonly ca?: string;
  /** `ssl.client.auth`: required refuses a TLS handshake without a trusted client certificate. */
  readonly clientAuth: 'required' | 'requested' | 'none';
}

/** What a worker needs to call another worker over https: trusted CAs and, if it has one, its own certificate. */
export interface PeerClientTls {
  readonly ca?: string;
  readonly key?: string;
  readonly cert?: string;
  readonly passphrase?: string;
  readonly verifyServerName: boolean;
}

/** The `ssl.*` keys of the REST listeners: the `listeners.https.`-prefixed keys win over the worker's. */
function listenerSslKeys(raw: Readonly<Record<string, string>>): {
  keys: Record<string, string>;
  nameOf: (key: string) => string;
} {
  const keys: Record<string, string> = {};
  const prefixed = new Set<string>();
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith('ssl.')) keys[key] = value;
  }
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith(`${PREFIX}ssl.`)) {
      const bare = key.slice(PREFIX.length);
      keys[bare] = value;
      prefixed.add(bare);
    }
  }
  return { keys, nameOf: (key) => (prefixed.has(key) ? `${PREFIX}${key}` : key) };
}

function clientAuthOf(value: string | undefined, name: string): RestServerTls['clientAuth'] {
  const mode = (value ?? 'none').trim().toLowerCase();
  if (mode === 'required' || mode === 'requested' || mode === 'none') return mode;
  throw new SluiceError('CONFIG_INVALID_VALUE', [value ?? '', name, 'use required, requested or none']);
}

function parsedTls(raw: Readonly<Record<string, string>>): {
  tls: TlsSettings;
  clientAuth: RestServerTls['clientAuth'];
  nameOf: (key: string) => string;
} {
  const { keys, nameOf } = listenerSslKeys(raw);
  // The Kafka keys' own security.protocol says nothing about REST: read the stores as an SSL client would.
  const tls = parseKafkaSecurity({ ...keys, 'security.protocol': 'SSL' }, nameOf).tls;
  if (tls === null) throw new SluiceError('INTERNAL', ['SSL settings were not parsed']);
  return { tls, clientAuth: clientAuthOf(keys['ssl.client.auth'], nameOf('ssl.client.auth')), nameOf };
}

/** The https listener's TLS; throws CONFIG_MISSING naming the key when it has no certificate. */
export function restServerTls(raw: Readonly<Record<string, string>>): RestServerTls {
  const { tls, clientAuth, nameOf } = parsedTls(raw);
  if (tls.clientCertificateChainPem === null || tls.clientPrivateKeyPem === null)
    throw new SluiceError('CONFIG_MISSING', [nameOf('ssl.keystore.location')]);
  if (clientAuth !== 'none' && tls.trustedCertificatesPem === null)
    throw new SluiceError('CONFIG_MISSING', [nameOf('ssl.truststore.location')]);
  return {
    key: tls.clientPrivateKeyPem,
    cert: tls.clientCertificateChainPem,
    clientAuth,
    ...(tls.clientPrivateKeyPassword === null ? {} : { passphrase: tls.clientPrivateKeyPassword }),
    ...(tls.trustedCertificatesPem === null ? {} : { ca: tls.trustedCertificatesPem }),
  };
}

/**
 * TLS for requests to other workers: trust the listener's truststore and present the listener's own
 * certificate, so a peer that requires client certificates accepts this worker (Connect's RestClient
 * uses the same keys).
 */
export function peerClientTls(raw: Readonly<Record<string, string>>): PeerClientTls {
  const { tls } = parsedTls(raw);
  return {
    verifyServerName: tls.verifyServerName,
    ...(tls.trustedCertificatesPem === null ? {} : { ca: tls.trustedCertificatesPem }),
    ...(tls.clientCertificateChainPem === null || tls.clientPrivateKeyPem === null
      ? {}
      : { cert: tls.clientCertificateChainPem, key: tls.clientPrivateKeyPem }),
    ...(tls.clientPrivateKeyPassword === null ? {} : { passphrase: tls.clientPrivateKeyPassword }),
  };
}
