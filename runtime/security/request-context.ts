import { AsyncLocalStorage } from 'node:async_hooks';
import type { Principal } from './principal.js';

/**
 * The principal a REST request runs for, visible to everything the request calls (e.g. the client that
 * forwards a write to the leader, which must say for whom it asks) without threading it through the
 * Herder interface.
 */
const context = new AsyncLocalStorage<Principal>();

export function runAsPrincipal<T>(principal: Principal, work: () => T): T {
  return context.run(principal, work);
}

/** The principal of the REST request being served, if any. */
export function currentPrincipal(): Principal | undefined {
  return context.getStore();
}
