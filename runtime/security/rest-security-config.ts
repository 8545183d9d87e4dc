import type { ConfigDef } from '../api/config-def.js';

/** The worker keys of REST authentication and tenants (docs/security.md); Sluice's own, Connect has none. */
export const restSecurityConfigDef: ConfigDef = {
  'rest.auth': {
    type: 'string',
    default: 'none',
    importance: 'high',
    documentation:
      'How REST callers authenticate: none, basic (users file of scrypt hashes), token (bearer tokens file of SHA-256 hashes), jwt (bearer JWTs verified against rest.auth.jwt.*) or mtls (client certificate on an https listener with ssl.client.auth=required).',
    validator: { oneOf: ['none', 'basic', 'token', 'jwt', 'mtls'] },
  },
  'rest.auth.jwt.public.key.file': {
    type: 'string',
    default: null,
    importance: 'high',
    documentation:
      'With rest.auth=jwt: PEM public key (or X.509 certificate) that verifies RS*/PS*/ES*/EdDSA-signed tokens; re-read when it changes. Set this or rest.auth.jwt.secret.file.',
  },
  'rest.auth.jwt.secret.file': {
    type: 'string',
    default: null,
    importance: 'high',
    documentation:
      'With rest.auth=jwt: file holding the HMAC secret (at least 32 bytes) of HS256/384/512-signed tokens; re-read when it changes.',
  },
  'rest.auth.jwt.algorithms': {
    type: 'list',
    default: null,
    importance: 'medium',
    documentation:
      'With rest.auth=jwt: the signing algorithms accepted; default every asymmetric one for a public key, HS256/384/512 for a secret. none is never accepted.',
  },
  'rest.auth.jwt.issuer': {
    type: 'string',
    default: null,
    importance: 'high',
    documentation: 'With rest.auth=jwt: the iss a token must carry (recommended).',
  },
  'rest.auth.jwt.audience': {
    type: 'string',
    default: null,
    importance: 'high',
    documentation: 'With rest.auth=jwt: the aud a token must carry (recommended).',
  },
  'rest.auth.jwt.principal.claim': {
    type: 'string',
    default: 'sub',
    importance: 'medium',
    documentation: 'With rest.auth=jwt: the claim naming the caller (the principal audit lines show).',
  },
  'rest.auth.jwt.role.claim': {
    type: 'string',
    default: 'role',
    importance: 'medium',
    documentation:
      "With rest.auth=jwt: the claim holding the caller's role (admin, operator, viewer). A token without it is looked up in tenants.file by its principal.",
  },
  'rest.auth.jwt.tenant.claim': {
    type: 'string',
    default: 'tenant',
    importance: 'medium',
    documentation:
      "With rest.auth=jwt: the claim holding the caller's tenant (an operator or viewer needs one; with tenants.file it must be declared there).",
  },
  'rest.auth.jwt.clock.skew.seconds': {
    type: 'int',
    default: 30,
    importance: 'low',
    documentation: 'With rest.auth=jwt: seconds of clock difference allowed on exp and nbf.',
  },
  'rest.auth.basic.users.file': {
    type: 'string',
    default: null,
    importance: 'high',
    documentation:
      'With rest.auth=basic: the file of user:hash lines (hashes from `sluice hash-password`); re-read when it changes.',
  },
  'rest.auth.token.file': {
    type: 'string',
    default: null,
    importance: 'high',
    documentation:
      'With rest.auth=token: the file of principal:sha256$hex lines (from `sluice new-token`); re-read when it changes.',
  },
  'rest.auth.mtls.principal': {
    type: 'string',
    default: 'cn',
    importance: 'medium',
    documentation:
      "With rest.auth=mtls: the principal is the client certificate subject's CN (cn) or its whole subject, CN=...,O=... (dn).",
    validator: { oneOf: ['cn', 'dn'] },
  },
  'config.encryption.key': {
    type: 'password',
    default: null,
    importance: 'high',
    documentation:
      'AES-256 key (32 bytes, base64 or hex) that encrypts literal secret values of connector configs at rest, in the config topic and the standalone connectors file; normally a config-provider reference such as ${file:/etc/sluice/keys.properties:config.key}. Every worker of a cluster needs the same key.',
  },
  'tenants.topic': {
    type: 'string',
    default: null,
    importance: 'high',
    documentation:
      'Compacted Kafka topic holding the tenants instead of tenants.file (one record per entry: key tenant:<name> or principal:<name>, the entry as JSON; a tombstone removes it). Every worker reads it and follows changes without a restart.',
  },
  'tenants.file': {
    type: 'string',
    default: null,
    importance: 'high',
    documentation:
      "JSON file mapping principals to a role (admin, operator, viewer) and a tenant, and each tenant's limits; re-read when it changes. Without it every authenticated principal is an admin.",
  },
};
