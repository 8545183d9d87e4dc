/**
 * Kafka client security, client-neutral: what Connect's `security.protocol`, `ssl.*` and `sasl.*` keys
 * ask for, with PEM files already read. Only the client adapter (kafkajs-security.ts) turns it into
 * options of a particular Kafka client library.
 */
import { readFileSync } from 'node:fs';
import { SluiceError } from '../errors/sluice-error.js';
import { parseJaasConfig } from './jaas-config.js';

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
const PROTOCOLS: readonly SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];

export interface TlsSettings {
  /** Trusted CA certificates (PEM); null: the platform's trusted CAs. */
  readonly trustedCertificatesPem: string | null;
  /** The client's certificate chain and private key (PEM), for brokers that require client certificates. */
  readonly clientCertificateChainPem: string | null;
  readonly clientPrivateKeyPem: string | null;
  /** Decrypts an encrypted client private key (`ssl.key.password`). */
  readonly clientPrivateKeyPassword: string | null;
  /** Whether the broker's certificate must name the host connected to (`ssl.endpoint.identification.algorithm=https`). */
  readonly verifyServerName: boolean;
}

export type PasswordMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export type SaslSettings =
  | { readonly mechanism: PasswordMechanism; readonly username: string; readonly password: string }
  | {
      readonly mechanism: 'OAUTHBEARER';
      /** OAuth 2 client-credentials grant: where to ask for a token, as whom. */
      readonly tokenEndpointUrl: string;
      readonly clientId: string;
      readonly clientSecret: string;
      readonly scope: string | null;
    };

export interface KafkaSecurity {
  readonly protocol: SecurityProtocol;
  /** Present for SSL and SASL_SSL. */
  readonly tls: TlsSettings | null;
  /** Present for SASL_PLAINTEXT and SASL_SSL. */
  readonly sasl: SaslSettings | null;
}

/** Connect's client keys this module reads; they are PASSWORD type where they hold secrets. */
export const SECRET_SECURITY_KEYS: ReadonlySet<string> = new Set([
  'sasl.jaas.config',
  'ssl.key.password',
  'ssl.keystore.key',
  'ssl.keystore.password',
  'ssl.truststore.password',
  'sasl.oauthbearer.client.credentials.client.secret',
]);

/** True for the keys that configure client security (`security.protocol`, `ssl.*`, `sasl.*`). */
function isSecurityKey(key: string): boolean {
  return key === 'security.protocol' || key.startsWith('ssl.') || key.startsWith('sasl.');
}

/** The security keys of a client property map. */
export function securityProperties(properties: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(properties).filter(([k]) => isSecurityKey(k)));
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemBlocks(pem: string, kind: (label: string) => boolean): string[] {
  return [...pem.matchAll(PEM_BLOCK)].filter((m) => kind(m[1]!)).map((m) => `${m[0]}\n`);
}

const isCertificate = (label: string): boolean => label === 'CERTIFICATE';
const isPrivateKey = (label: string): boolean => label.endsWith('PRIVATE KEY');

/** Reads the security keys of one client (`prefix` is how the keys appear to the user, e.g. `producer.override.`). */
class SecurityKeys {
  /** The key the last error was about, as the user wrote it. */
  failedKey: string | null = null;

  constructor(
    private readonly properties: Readonly<Record<string, string>>,
    readonly name: (key: string) => string,
  ) {}

  /** The value as given, blank included. */
  raw(key: string): string | undefined {
    return this.properties[key];
  }

  /** A set, non-blank value; `null` when absent or blank. */
  get(key: string): string | null {
    const value = this.properties[key];
    return value === undefined || value.trim() === '' ? null : value.trim();
  }

  invalid(key: string, value: string | null, problem: string): SluiceError {
    const shown = value === null ? '""' : SECRET_SECURITY_KEYS.has(key) ? '[hidden]' : value;
    this.failedKey = this.name(key);
    return new SluiceError('CONFIG_INVALID_VALUE', [shown, this.name(key), problem]);
  }

  missing(key: string): SluiceError {
    this.failedKey = this.name(key);
    return new SluiceError('CONFIG_MISSING', [this.name(key)]);
  }

  /** The login module options of `sasl.jaas.config`. */
  jaasOptions(text: string): Readonly<Record<string, string>> {
    try {
      return parseJaasConfig(text, this.name('sasl.jaas.config')).options;
    } catch (error) {
      this.failedKey = this.name('sasl.jaas.config');
      throw error;
    }
  }

  readFile(key: string, path: string): string {
    try {
      return readFileSync(path, 'utf8');
    } catch (error) {
      throw this.invalid(key, path, `cannot read the file: ${(error as Error).message}`);
    }
  }
}

const CONVERT_TRUSTSTORE =
  'convert it to PEM and set ssl.truststore.type=PEM: ' +
  '`keytool -importkeystore -srckeystore truststore.jks -destkeystore truststore.p12 -deststoretype PKCS12` ' +
  '(for JKS), then `openssl pkcs12 -in truststore.p12 -nokeys -out ca.pem`';
const CONVERT_KEYSTORE =
  'convert it to PEM and set ssl.keystore.type=PEM: ' +
  '`keytool -importkeystore -srckeystore keystore.jks -destkeystore keystore.p12 -deststoretype PKCS12` ' +
  '(for JKS), then `openssl pkcs12 -in keystore.p12 -nodes -out keystore.pem` (key and certificate chain in one file)';

/**
 * The store's type: PEM, or a clear error for JKS/PKCS12 (Sluice's client reads PEM only). Without a
 * type, Kafka assumes JKS; Sluice looks at the file instead and accepts it when it is PEM text.
 */
function checkStoreType(keys: SecurityKeys, store: 'truststore' | 'keystore', content: string | null): void {
  const typeKey = `ssl.${store}.type`;
  const type = keys.get(typeKey)?.toUpperCase() ?? null;
  const convert = store === 'truststore' ? CONVERT_TRUSTSTORE : CONVERT_KEYSTORE;
  if (type === 'PEM') return;
  if (type !== null)
    throw keys.invalid(typeKey, keys.get(typeKey), `only PEM stores are supported; ${convert}`);
  if (content !== null && !content.includes('-----BEGIN '))
    throw keys.invalid(
      `ssl.${store}.location`,
      keys.get(`ssl.${store}.location`),
      `the file is not PEM (a JKS or PKCS12 store?); ${convert}`,
    );
}

function trustedCertificates(keys: SecurityKeys): string | null {
  const location = keys.get('ssl.truststore.location');
  const inline = keys.get('ssl.truststore.certificates');
  if (location !== null && inline !== null)
    throw keys.invalid(
      'ssl.truststore.certificates',
      inline,
      'set either it or ssl.truststore.location, not both',
    );
  if (location === null && inline === null) return null;
  // The type first: a JKS store is named as such even where this machine cannot read the file.
  checkStoreType(keys, 'truststore', null);
  const pem = location !== null ? keys.readFile('ssl.truststore.location', location) : inline!;
  if (location !== null) checkStoreType(keys, 'truststore', pem);
  const key = location !== null ? 'ssl.truststore.location' : 'ssl.truststore.certificates';
  const certificates = pemBlocks(pem, isCertificate);
  if (certificates.length === 0)
    throw keys.invalid(key, location ?? '[PEM]', 'it holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  return certificates.join('');
}

function clientCertificate(
  keys: SecurityKeys,
): Pick<TlsSettings, 'clientCertificateChainPem' | 'clientPrivateKeyPem' | 'clientPrivateKeyPassword'> {
  const location = keys.get('ssl.keystore.location');
  const chain = keys.get('ssl.keystore.certificate.chain');
  const key = keys.get('ssl.keystore.key');
  const password = keys.get('ssl.key.password');
  const none = { clientCertificateChainPem: null, clientPrivateKeyPem: null, clientPrivateKeyPassword: null };
  if (location === null && chain === null && key === null) return none;
  if (location !== null && (chain !== null || key !== null))
    throw keys.invalid(
      'ssl.keystore.location',
      location,
      'set either it or ssl.keystore.certificate.chain with ssl.keystore.key, not both',
    );
  let chainPem: string;
  let keyPem: string;
  checkStoreType(keys, 'keystore', null);
  if (location !== null) {
    const pem = keys.readFile('ssl.keystore.location', location);
    checkStoreType(keys, 'keystore', pem);
    chainPem = pem;
    keyPem = pem;
  } else {
    if (chain === null) throw keys.missing('ssl.keystore.certificate.chain');
    if (key === null) throw keys.missing('ssl.keystore.key');
    chainPem = chain;
    keyPem = key;
  }
  const where = location !== null ? 'ssl.keystore.location' : 'ssl.keystore.certificate.chain';
  const certificates = pemBlocks(chainPem, isCertificate);
  if (certificates.length === 0)
    throw keys.invalid(
      where,
      location ?? '[PEM]',
      'it holds no PEM certificate (-----BEGIN CERTIFICATE-----)',
    );
  const keyWhere = location !== null ? 'ssl.keystore.location' : 'ssl.keystore.key';
  const privateKeys = pemBlocks(keyPem, isPrivateKey);
  if (privateKeys.length !== 1)
    throw keys.invalid(
      keyWhere,
      location ?? '[hidden]',
      `it must hold exactly one PEM private key (-----BEGIN PRIVATE KEY-----), it holds ${privateKeys.length}`,
    );
  if (privateKeys[0]!.includes('ENCRYPTED') && password === null) throw keys.missing('ssl.key.password');
  return {
    clientCertificateChainPem: certificates.join(''),
    clientPrivateKeyPem: privateKeys[0]!,
    clientPrivateKeyPassword: password,
  };
}

function tlsSettings(keys: SecurityKeys): TlsSettings {
  // Absent means Kafka's default, https; an empty value turns host-name verification off.
  const algorithm = keys.raw('ssl.endpoint.identification.algorithm')?.trim() ?? 'https';
  if (algorithm !== '' && algorithm.toLowerCase() !== 'https')
    throw keys.invalid(
      'ssl.endpoint.identification.algorithm',
      algorithm,
      'use https (verify the broker host name, the default) or an empty value (do not verify it)',
    );
  return {
    trustedCertificatesPem: trustedCertificates(keys),
    ...clientCertificate(keys),
    verifyServerName: algorithm !== '',
  };
}

const PASSWORD_MECHANISMS: readonly PasswordMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

function saslSettings(keys: SecurityKeys): SaslSettings {
  // Kafka's default mechanism is GSSAPI (Kerberos), which Sluice's client cannot do.
  const mechanism = (keys.get('sasl.mechanism') ?? 'GSSAPI').toUpperCase();
  const jaasText = keys.get('sasl.jaas.config');
  if (PASSWORD_MECHANISMS.includes(mechanism as PasswordMechanism)) {
    if (jaasText === null) throw keys.missing('sasl.jaas.config');
    const options = keys.jaasOptions(jaasText);
    const username = options['username'];
    const password = options['password'];
    if (username === undefined || password === undefined)
      throw keys.invalid(
        'sasl.jaas.config',
        jaasText,
        `${mechanism} needs the options username="..." and password="..."`,
      );
    return { mechanism: mechanism as PasswordMechanism, username, password };
  }
  if (mechanism === 'OAUTHBEARER') {
    const tokenEndpointUrl = keys.get('sasl.oauthbearer.token.endpoint.url');
    if (tokenEndpointUrl === null) throw keys.missing('sasl.oauthbearer.token.endpoint.url');
    if (!/^https?:\/\//i.test(tokenEndpointUrl))
      throw keys.invalid(
        'sasl.oauthbearer.token.endpoint.url',
        tokenEndpointUrl,
        'it must be an http(s) URL',
      );
    const options = jaasText === null ? {} : keys.jaasOptions(jaasText);
    // Kafka 4.1 also takes the client credentials as keys of their own; they win over the JAAS options.
    const clientId = keys.get('sasl.oauthbearer.client.credentials.client.id') ?? options['clientId'];
    const clientSecret =
      keys.get('sasl.oauthbearer.client.credentials.client.secret') ?? options['clientSecret'];
    if (clientId === undefined || clientSecret === undefined)
      throw keys.invalid(
        'sasl.jaas.config',
        jaasText,
        'OAUTHBEARER needs OAuthBearerLoginModule required clientId="..." clientSecret="..."; (scope="..." optional)',
      );
    return {
      mechanism: 'OAUTHBEARER',
      tokenEndpointUrl,
      clientId,
      clientSecret,
      scope: keys.get('sasl.oauthbearer.scope') ?? options['scope'] ?? null,
    };
  }
  throw keys.invalid(
    'sasl.mechanism',
    keys.get('sasl.mechanism') ?? 'GSSAPI (the default)',
    `supported: ${[...PASSWORD_MECHANISMS, 'OAUTHBEARER'].join(', ')}`,
  );
}

/** How a bare client key (`ssl.truststore.type`) was written by the user (`producer.override.ssl.truststore.type`). */
export type KeyNamer = (key: string) => string;

/**
 * The security one client asks for. `properties` are its client properties (worker keys, or the keys
 * below a prefix, with the prefix stripped); `nameOf` names a key in errors as the user wrote it. Throws
 * CONFIG_INVALID_VALUE or CONFIG_MISSING naming the key (never showing a secret).
 */
export function parseKafkaSecurity(
  properties: Readonly<Record<string, string>>,
  nameOf: KeyNamer = (key) => key,
): KafkaSecurity {
  return parseWith(new SecurityKeys(properties, nameOf));
}

/** The problem with a client's security keys, as a config issue on the key it is about; null when there is none. */
export function kafkaSecurityIssue(
  properties: Readonly<Record<string, string>>,
  nameOf: KeyNamer,
): { readonly key: string; readonly message: string } | null {
  const keys = new SecurityKeys(properties, nameOf);
  try {
    parseWith(keys);
    return null;
  } catch (error) {
    if (!(error instanceof SluiceError)) throw error;
    return { key: keys.failedKey ?? nameOf('security.protocol'), message: error.message };
  }
}

function parseWith(keys: SecurityKeys): KafkaSecurity {
  const given = keys.get('security.protocol') ?? 'PLAINTEXT';
  const protocol = PROTOCOLS.find((p) => p === given.toUpperCase());
  if (protocol === undefined)
    throw keys.invalid('security.protocol', given, `supported: ${PROTOCOLS.join(', ')}`);
  return {
    protocol,
    tls: protocol === 'SSL' || protocol === 'SASL_SSL' ? tlsSettings(keys) : null,
    sasl: protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL' ? saslSettings(keys) : null,
  };
}
