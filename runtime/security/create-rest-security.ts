import type { Logger } from '../api/logger.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { SessionKey } from '../storage/cluster-config-store.js';
import type { Authenticator } from './authenticator.js';
import { BasicAuthenticator, parseUsersFile } from './basic-authenticator.js';
import { MtlsAuthenticator, type CertificatePrincipal } from './mtls-authenticator.js';
import { ReloadingFile } from './reloading-file.js';
import { RestSecurity } from './rest-security.js';
import { parseTenantDirectory } from './tenant-directory.js';
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
}

function required(raw: Readonly<Record<string, string>>, key: string, why: string): string {
  const value = raw[key]?.trim() ?? '';
  if (value === '') throw new SluiceError('CONFIG_INVALID', [`${key} must be set: ${why}`]);
  return value;
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
  const directory =
    tenantsFile === '' ? null : new ReloadingFile(tenantsFile, parseTenantDirectory, onReloadError);
  if (authenticator === null && directory !== null)
    log.warn('tenants.file is ignored while rest.auth=none: every caller is an admin');
  return new RestSecurity({
    authenticator,
    directory: authenticator === null ? null : directory,
    sessionKey: wiring.sessionKey ?? (() => undefined),
    audit: wiring.logger('sluice.audit'),
    ...(wiring.pluginClassOf === undefined ? {} : { pluginClassOf: wiring.pluginClassOf }),
  });
}
