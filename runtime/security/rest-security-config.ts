import type { ConfigDef } from '../api/config-def.js';

/** The worker keys of REST authentication and tenants (docs/security.md); Sluice's own, Connect has none. */
export const restSecurityConfigDef: ConfigDef = {
  'rest.auth': {
    type: 'string',
    default: 'none',
    importance: 'high',
    documentation:
      'How REST callers authenticate: none, basic (users file of scrypt hashes), token (bearer tokens file of SHA-256 hashes) or mtls (client certificate on an https listener with ssl.client.auth=required).',
    validator: { oneOf: ['none', 'basic', 'token', 'mtls'] },
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
  'tenants.file': {
    type: 'string',
    default: null,
    importance: 'high',
    documentation:
      "JSON file mapping principals to a role (admin, operator, viewer) and a tenant, and each tenant's limits; re-read when it changes. Without it every authenticated principal is an admin.",
  },
};
