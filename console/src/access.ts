import { restGet, RestError } from './rest-client.js';

/** `GET /principal`: who the console's requests are made as. */
export interface PrincipalView {
  readonly name: string;
  readonly role: 'admin' | 'operator' | 'viewer';
  readonly tenant: string | null;
  readonly may_write: boolean;
}

let principal: PrincipalView | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads (again, after signing in or out) who the console acts as. A worker without `GET /principal` (older
 * than the console) is taken to allow writes: its REST API still refuses what it does not allow.
 */
export function loadPrincipal(onLoaded: () => void): Promise<void> {
  loading ??= restGet<PrincipalView>('/principal')
    .then((answer) => {
      principal = answer;
    })
    .catch((error: unknown) => {
      principal =
        error instanceof RestError && error.status === 404
          ? { name: 'anonymous', role: 'admin', tenant: null, may_write: true }
          : undefined;
    })
    .finally(() => {
      loading = undefined;
      onLoaded();
    });
  return loading;
}

export function currentPrincipal(): PrincipalView | undefined {
  return principal;
}

export function forgetPrincipal(): void {
  principal = undefined;
}

/**
 * Why the console offers no action that changes something, or undefined when it may offer them. Until the
 * principal is known the console offers none: a viewer never sees a button flash up.
 */
export function readOnlyReason(): string | undefined {
  if (principal === undefined) return 'Checking what you may do…';
  if (principal.may_write) return undefined;
  const tenant = principal.tenant === null ? '' : ` of tenant ${principal.tenant}`;
  return `Read-only: ${principal.name} is a ${principal.role}${tenant}. Changing connectors needs an operator or an admin.`;
}
