import type { Logger } from '../api/logger.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { SessionKey } from '../storage/cluster-config-store.js';
import type { Authenticator, PresentedCredentials } from './authenticator.js';
import { signForwardedRequest, verifyForwardedRequest } from './forwarded-request-signature.js';
import { ANONYMOUS, type Principal } from './principal.js';
import { currentPrincipal } from './request-context.js';
import { maskAnswer, maskConfig, unmaskConfig } from './secret-masking.js';
import { roleAllows, routeAccess, type RouteAccess } from './route-access.js';
import type { TenantSource } from './tenant-topic.js';
import { checkTenantConnector, type ExistingConnector, type PluginClassOf } from './tenant-limits.js';

export interface RestSecurityOptions {
  /** null: `rest.auth=none`, every caller is an anonymous admin. */
  readonly authenticator: Authenticator | null;
  /** The tenants file or topic; null: every authenticated principal is an admin. */
  readonly directory: TenantSource | null;
  /** The cluster's current session key (distributed mode), which signs forwarded requests. */
  readonly sessionKey: () => SessionKey | undefined;
  readonly audit: Logger;
  /** Resolves a plugin alias to its class, so a tenant's allowed plugins match however a config names them. */
  readonly pluginClassOf?: PluginClassOf;
}

/** One audited request: who did what to which connector, and how it ended. */
export interface AuditEntry {
  readonly principal: string | null;
  readonly tenant: string | null;
  readonly action: string;
  readonly connector: string | null;
  readonly status: number;
}

/**
 * A principal whose role and tenant came from its token travels to the leader whole (the leader has no
 * tenants-file entry for it), as JSON behind a NUL, which no credentials-file name holds.
 */
const CLAIMS_PREFIX = '\u0000claims:';

function forwardedClaims(principal: Principal): string {
  return `${CLAIMS_PREFIX}${JSON.stringify({ name: principal.name, role: principal.role, tenant: principal.tenant })}`;
}

function claimedPrincipalOf(forwarded: string): Principal | null {
  if (!forwarded.startsWith(CLAIMS_PREFIX)) return null;
  const parsed = JSON.parse(forwarded.slice(CLAIMS_PREFIX.length)) as Principal;
  return { name: parsed.name, role: parsed.role, tenant: parsed.tenant, claimed: true };
}

/**
 * Every security decision the REST API needs, in one place: who a request is, what it may do, which
 * connectors it sees and whether a config is within its tenant's limits. The API asks; it never decides.
 */
export class RestSecurity {
  constructor(private readonly options: RestSecurityOptions) {}

  get enabled(): boolean {
    return this.options.authenticator !== null;
  }

  /** The `WWW-Authenticate` value of a 401, if the scheme has one. */
  get challenge(): string | null {
    return this.options.authenticator?.challenge ?? null;
  }

  accessOf(method: string, template: string): RouteAccess {
    return routeAccess(method, template);
  }

  /** Who presented these credentials; throws UNAUTHENTICATED (401) or FORBIDDEN (a name with no role). */
  async authenticate(credentials: PresentedCredentials): Promise<Principal> {
    const authenticator = this.options.authenticator;
    if (authenticator === null) return ANONYMOUS;
    const identity = await authenticator.authenticate(credentials);
    if (identity === null) throw new SluiceError('UNAUTHENTICATED');
    return typeof identity === 'string' ? this.principalNamed(identity) : this.claimedPrincipal(identity);
  }

  /** The principal a follower vouches for on a forwarded write; throws UNAUTHENTICATED when it does not verify. */
  authenticateForwarded(request: Parameters<typeof verifyForwardedRequest>[1]): Principal {
    if (this.options.authenticator === null) return ANONYMOUS;
    const name = verifyForwardedRequest(this.options.sessionKey(), request);
    if (name === null) throw new SluiceError('UNAUTHENTICATED');
    const claimed = claimedPrincipalOf(name);
    return claimed === null ? this.principalNamed(name) : this.claimedPrincipal(claimed);
  }

  /** Headers that carry the current request's principal to the leader; none without authentication. */
  signForwarded(method: string, path: string, body: string): Record<string, string> {
    const principal = currentPrincipal();
    if (this.options.authenticator === null || principal === undefined) return {};
    return signForwardedRequest(this.options.sessionKey(), {
      method,
      path,
      principal: principal.claimed === true ? forwardedClaims(principal) : principal.name,
      body,
    });
  }

  /**
   * A principal whose role and tenant came with its credentials. With a tenants file its tenant must be
   * declared there, so that tenant's limits apply (a token cannot name its way out of them).
   */
  private claimedPrincipal(principal: Principal): Principal {
    const directory = this.options.directory;
    if (principal.role !== 'admin' && principal.tenant === null)
      throw new SluiceError('FORBIDDEN', [principal.name, 'its token names a role but no tenant']);
    if (directory !== null && principal.tenant !== null && !directory.current.tenants.has(principal.tenant))
      throw new SluiceError('FORBIDDEN', [
        principal.name,
        `its token names tenant ${principal.tenant}, which the tenants file does not declare`,
      ]);
    return principal;
  }

  private principalNamed(name: string): Principal {
    const directory = this.options.directory;
    if (directory === null) return { name, role: 'admin', tenant: null };
    const principal = directory.current.principals.get(name);
    if (principal === undefined)
      throw new SluiceError('FORBIDDEN', [name, 'it has no role in the tenants file']);
    return principal;
  }

  /** Throws FORBIDDEN unless `principal` may use the route (on `connector`, when it names one). */
  authorize(principal: Principal, access: RouteAccess, connector: string | null): void {
    if (!roleAllows(principal.role, access))
      throw new SluiceError('FORBIDDEN', [principal.name, `a ${principal.role} may not do this`]);
    if (access.kind === 'connector' && !this.visibleConnector(principal, connector ?? ''))
      throw new SluiceError('FORBIDDEN', [
        principal.name,
        `connector names of tenant ${principal.tenant ?? ''} start with '${principal.tenant ?? ''}.'`,
      ]);
  }

  /** Whether a principal sees a connector: its tenant's namespace is the `<tenant>.` name prefix. */
  visibleConnector(principal: Principal, name: string): boolean {
    if (principal.role === 'admin' && principal.tenant === null) return true;
    return principal.tenant !== null && name.startsWith(`${principal.tenant}.`);
  }

  /** Throws TENANT_LIMIT when the principal's tenant may not run `config` as `name`. */
  checkConnectorConfig(
    principal: Principal,
    name: string,
    config: Readonly<Record<string, string>>,
    existing: readonly ExistingConnector[],
  ): void {
    if (principal.tenant === null || principal.role === 'admin') return;
    const limits = this.options.directory?.current.tenants.get(principal.tenant);
    if (limits === undefined) return;
    checkTenantConnector(principal.tenant, limits, name, config, existing, this.options.pluginClassOf);
  }

  /**
   * The byte-rate quota of the tenant whose namespace holds `connector` (`<tenant>.<name>`), for one flow;
   * null when it has none (or there are no tenants). Read from the tenants file as it is now.
   */
  byteRateOf(
    connector: string,
    flow: 'produce' | 'consume',
  ): { tenant: string; bytesPerSecond: number } | null {
    const directory = this.options.directory;
    const dot = connector.indexOf('.');
    if (directory === null || dot <= 0) return null;
    const tenant = connector.slice(0, dot);
    const limits = directory.current.tenants.get(tenant);
    const rate = flow === 'produce' ? limits?.produceBytesPerSecond : limits?.consumeBytesPerSecond;
    return rate === undefined || rate === null ? null : { tenant, bytesPerSecond: rate };
  }

  /** Whether a connector's config must be checked for this principal (tenants only). */
  limited(principal: Principal): boolean {
    return principal.tenant !== null && principal.role !== 'admin';
  }

  /**
   * A REST answer with secret config values shown as `[hidden]` (with authentication on: a viewer must
   * not read an operator's passwords). `configRecord`: the answer is one bare config (GET .../config).
   */
  maskSecrets(payload: unknown, configRecord: boolean): unknown {
    if (!this.enabled) return payload;
    if (configRecord && typeof payload === 'object' && payload !== null && !Array.isArray(payload))
      return maskConfig(payload as Record<string, unknown>);
    return maskAnswer(payload);
  }

  /** A submitted config in which `[hidden]` (as read back) keeps the stored secret. */
  restoreSecrets(
    submitted: Readonly<Record<string, unknown>>,
    stored: Readonly<Record<string, string>>,
  ): Record<string, unknown> {
    return this.enabled ? unmaskConfig(submitted, stored) : { ...submitted };
  }

  audit(entry: AuditEntry): void {
    const result =
      entry.status < 400 ? 'ok' : entry.status === 401 || entry.status === 403 ? 'denied' : 'failed';
    this.options.audit.info(`audit ${entry.action}`, { audit: true, ...entry, result });
  }
}
