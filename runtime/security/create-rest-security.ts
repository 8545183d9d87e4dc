import type { Logger } from '../api/logger.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { SessionKey } from '../storage/cluster-config-store.js';
import type { Authenticator } from './authenticator.js';
import { BasicAuthenticator, parseUsersFile } from './basic-authenticator.js';
import {
  JwtAuthenticator,
  parsePublicKey,
  parseSecret,
  PUBLIC_KEY_ALGORITHMS,
  SECRET_ALGORITHMS,
} from './jwt-authenticator.js';
import { MtlsAuthenticator, type CertificatePrincipal } from './mtls-authenticator.js';
import { ReloadingFile } from './reloading-file.js';
import { RestSecurity } from './rest-security.js';
import { parseTenantDirectory } from './tenant-directory.js';
import type { TenantSource } from './tenant-topic.js';
import { parseTokensFile, TokenAuthenticator } from './token-authenticator.js';

export interface RestSecurityWiring {
  /** Where reload errors and audit lines go. */
  readonly logger: (name: string) => Logger;
  /** The cluster's session key; standalone workers have none (and never forward). */
  readonly sessionKey?: () => SessionKey | undefined;
  /** Whether every https listener asks for client certificates (`ssl.client.auth` required or requested). */
  readonly clientCertificates: boolean;
  /** The installed connector plugin's class for a name or alias. */
  readonly pluginClassOf?: (name: string) => string | undefined;
  /** The tenants topic (`tenants.topic`), which the caller starts once Kafka is reachable. */
  readonly tenantTopic?: TenantSource;
}

function required(raw: Readonly<Record<string, string>>, key: string, why: string): string {
  const value = raw[key]?.trim() ?? '';
  if (value === '') throw new SluiceError('CONFIG_INVALID', [`${key} must be set: ${why}`]);
  return value;
}

function jwtAuthenticator(
  raw: Readonly<Record<string, string>>,
  onReloadError: (error: Error) => void,
): JwtAuthenticator {
  const text = (key: string): string | null => {
    const value = raw[key]?.trim() ?? '';
    return value === '' ? null : value;
  };
  const publicKeyFile = text('rest.auth.jwt.public.key.file');
  const secretFile = text('rest.auth.jwt.secret.file');
  if ((publicKeyFile === null) === (secretFile === null))
    throw new SluiceError('CONFIG_INVALID', [
      'rest.auth=jwt needs exactly one of rest.auth.jwt.public.key.file and rest.auth.jwt.secret.file',
    ]);
  const allowed = publicKeyFile === null ? SECRET_ALGORITHMS : PUBLIC_KEY_ALGORITHMS;
  const listed = text('rest.auth.jwt.algorithms')
    ?.split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  const wrong = (listed ?? []).filter((a) => !allowed.includes(a));
  if (wrong.length > 0)
    throw new SluiceError('CONFIG_INVALID', [
      `rest.auth.jwt.algorithms: ${wrong.join(', ')} cannot be verified with a ${publicKeyFile === null ? 'secret' : 'public key'} (allowed: ${allowed.join(', ')})`,
    ]);
  const skew = Number(text('rest.auth.jwt.clock.skew.seconds') ?? '30');
  if (!Number.isInteger(skew) || skew < 0)
    throw new SluiceError('CONFIG_INVALID', ['rest.auth.jwt.clock.skew.seconds must be a whole number ≥ 0']);
  return new JwtAuthenticator({
    key:
      publicKeyFile === null
        ? new ReloadingFile(secretFile!, parseSecret, onReloadError)
        : new ReloadingFile(publicKeyFile, parsePublicKey, onReloadError),
    algorithms: listed !== undefined && listed.length > 0 ? listed : allowed,
    issuer: text('rest.auth.jwt.issuer'),
    audience: text('rest.auth.jwt.audience'),
    claims: {
      principal: text('rest.auth.jwt.principal.claim') ?? 'sub',
      role: text('rest.auth.jwt.role.claim') ?? 'role',
      tenant: text('rest.auth.jwt.tenant.claim') ?? 'tenant',
    },
    clockToleranceS: skew,
  });
}

function authenticatorOf(
  raw: Readonly<Record<string, string>>,
  wiring: RestSecurityWiring,
  onReloadError: (error: Error) => void,
): Authenticator | null {
  const mode = (raw['rest.auth'] ?? 'none').trim().toLowerCase();
  switch (mode) {
    case 'basic':
      return new BasicAuthenticator(
        new ReloadingFile(
          required(raw, 'rest.auth.basic.users.file', 'rest.auth=basic reads its users there'),
          parseUsersFile,
          onReloadError,
        ),
      );
    case 'token':
      return new TokenAuthenticator(
        new ReloadingFile(
          required(raw, 'rest.auth.token.file', 'rest.auth=token reads its token hashes there'),
          parseTokensFile,
          onReloadError,
        ),
      );
    case 'jwt':
      return jwtAuthenticator(raw, onReloadError);
    case 'mtls':
      if (!wiring.clientCertificates)
        throw new SluiceError('CONFIG_INVALID', [
          'rest.auth=mtls needs https listeners only, with listeners.https.ssl.client.auth=required',
        ]);
      return new MtlsAuthenticator((raw['rest.auth.mtls.principal']?.trim() ?? 'cn') as CertificatePrincipal);
    default:
      return null;
  }
}

/** The REST security the worker keys ask for; the files are read now, so a bad one stops the worker. */
export function createRestSecurity(
  raw: Readonly<Record<string, string>>,
  wiring: RestSecurityWiring,
): RestSecurity {
  const log = wiring.logger('sluice.security');
  const onReloadError = (error: Error): void =>
    log.error(`a security file could not be re-read; the last good content stays in force`, {
      error: error.message,
    });
  const authenticator = authenticatorOf(raw, wiring, onReloadError);
  const tenantsFile = raw['tenants.file']?.trim() ?? '';
  const tenantsTopic = raw['tenants.topic']?.trim() ?? '';
  if (tenantsFile !== '' && tenantsTopic !== '')
    throw new SluiceError('CONFIG_INVALID', ['set tenants.file or tenants.topic, not both']);
  if (tenantsTopic !== '' && wiring.tenantTopic === undefined)
    throw new SluiceError('CONFIG_INVALID', ['tenants.topic is not read in this mode']);
  const directory: TenantSource | null =
    tenantsFile !== ''
      ? new ReloadingFile(tenantsFile, parseTenantDirectory, onReloadError)
      : tenantsTopic !== ''
        ? wiring.tenantTopic!
        : null;
  if (authenticator === null && directory !== null)
    log.warn('tenants.file and tenants.topic are ignored while rest.auth=none: every caller is an admin');
  return new RestSecurity({
    authenticator,
    directory: authenticator === null ? null : directory,
    sessionKey: wiring.sessionKey ?? (() => undefined),
    audit: wiring.logger('sluice.audit'),
    ...(wiring.pluginClassOf === undefined ? {} : { pluginClassOf: wiring.pluginClassOf }),
  });
}
