import { restGet, RestError } from './rest-client.js';

/** `GET /principal`: who the console's requests are made as. */
export interface PrincipalView {
  readonly name: string;
  readonly role: 'admin' | 'operator' | 'viewer';
  readonly tenant: string | null;
  readonly may_write: boolean;
}

let principal: PrincipalView | undefined;
/** Counts the loads: only the latest one's answer counts (an earlier one may carry old credentials). */
let round = 0;

/**
 * Loads (again, after signing in or out) who the console acts as. A worker without `GET /principal` (older
 * than the console) is taken to allow writes: its REST API still refuses what it does not allow.
 */
export async function loadPrincipal(onLoaded: () => void): Promise<void> {
  const mine = ++round;
  let answer: PrincipalView | undefined;
  try {
    answer = await restGet<PrincipalView>('/principal');
  } catch (error) {
    if (error instanceof RestError && error.status === 404)
      answer = { name: 'anonymous', role: 'admin', tenant: null, may_write: true };
  }
  if (mine !== round) return;
  principal = answer;
  onLoaded();
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
