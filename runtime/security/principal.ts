/** What a principal may do: everything, manage its tenant's connectors, or only read them. */
export type Role = 'admin' | 'operator' | 'viewer';

export const ROLES: readonly Role[] = ['admin', 'operator', 'viewer'];

/** An authenticated caller as the access rules see it. */
export interface Principal {
  /** The authenticated name: a basic user, a token's owner, or a certificate subject. */
  readonly name: string;
  readonly role: Role;
  /** The tenant whose connectors it works on; null for an admin of the whole cluster. */
  readonly tenant: string | null;
}

/** Who a request is when `rest.auth=none`: anyone may do anything. */
export const ANONYMOUS: Principal = { name: 'anonymous', role: 'admin', tenant: null };

/** What `GET /principal` answers: the caller, and whether its role may change connectors. */
export interface PrincipalView {
  readonly name: string;
  readonly role: Role;
  readonly tenant: string | null;
  /** Whether the role may create, change, pause, restart or delete (its tenant's) connectors. */
  readonly may_write: boolean;
}
