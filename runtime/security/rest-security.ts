import type { Logger } from '../api/logger.js';
import { SluiceError } from '../errors/sluice-error.js';
import type { SessionKey } from '../storage/cluster-config-store.js';
import type { Authenticator, PresentedCredentials } from './authenticator.js';
import { signForwardedRequest, verifyForwardedRequest } from './forwarded-request-signature.js';
import { ANONYMOUS, type Principal } from './principal.js';
import { currentPrincipal } from './request-context.js';
import type { ReloadingFile } from './reloading-file.js';
import { maskAnswer, maskConfig, unmaskConfig } from './secret-masking.js';
import { roleAllows, routeAccess, type RouteAccess } from './route-access.js';
import type { TenantDirectory } from './tenant-directory.js';
import { checkTenantConnector, type ExistingConnector, type PluginClassOf } from './tenant-limits.js';

export interface RestSecurityOptions {
  /** null: `rest.auth=none`, every caller is an anonymous admin. */
  readonly authenticator: Authenticator | null;
  /** The tenants file; null: every authenticated principal is an admin. */
  readonly directory: ReloadingFile<TenantDirectory> | null;
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
    const name = await authenticator.authenticate(credentials);
    if (name === null) throw new SluiceError('UNAUTHENTICATED');
    return this.principalNamed(name);
  }

  /** The principal a follower vouches for on a forwarded write; throws UNAUTHENTICATED when it does not verify. */
  authenticateForwarded(request: Parameters<typeof verifyForwardedRequest>[1]): Principal {
    if (this.options.authenticator === null) return ANONYMOUS;
    const name = verifyForwardedRequest(this.options.sessionKey(), request);
    if (name === null) throw new SluiceError('UNAUTHENTICATED');
    return this.principalNamed(name);
  }

  /** Headers that carry the current request's principal to the leader; none without authentication. */
  signForwarded(method: string, path: string, body: string): Record<string, string> {
    const principal = currentPrincipal();
    if (this.options.authenticator === null || principal === undefined) return {};
    return signForwardedRequest(this.options.sessionKey(), { method, path, principal, body });
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
