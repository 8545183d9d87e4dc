import { ANONYMOUS, type Principal, type PrincipalView, type Role } from './principal.js';

/**
 * What a REST route needs, decided from its method and path template alone, so a route added later is
 * covered without anyone remembering to: a route this table does not know is for admins only.
 * - public: no authentication (liveness probes).
 * - read: any authenticated principal; answers listing connectors or metrics are cut to its tenant.
 * - connector: about one connector (named in the path, or in the body of POST /connectors), which must
 *   be in the principal's tenant; `write` needs operator or admin.
 * - admin: admins only.
 */
export type RouteAccess =
  | { readonly kind: 'public' }
  | { readonly kind: 'read' }
  | { readonly kind: 'connector'; readonly write: boolean; readonly nameFrom: 'path' | 'body' }
  | { readonly kind: 'admin' };

const PUBLIC = new Set(['GET /health']);

const READ = new Set([
  'GET /',
  'GET /openapi.json',
  'GET /connectors',
  'GET /connector-plugins',
  'GET /connector-plugins/{plugin}/config',
  // Validation changes nothing; a tenant validates before it creates.
  'PUT /connector-plugins/{plugin}/config/validate',
  'GET /admin/loggers',
  'GET /admin/loggers/{logger}',
  'GET /metrics',
  'GET /metrics/history',
  // Who the caller is and what its role lets it do: the web console shows only the actions it may take.
  'GET /principal',
]);

/** `{connector}` and fastify's `:connector` forms of a template, as one. */
export function normalizedTemplate(template: string): string {
  return template.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\/$/, '') || '/';
}

export function routeAccess(method: string, template: string): RouteAccess {
  const route = `${method.toUpperCase()} ${normalizedTemplate(template)}`;
  if (PUBLIC.has(route)) return { kind: 'public' };
  if (READ.has(route)) return { kind: 'read' };
  if (route === 'POST /connectors') return { kind: 'connector', write: true, nameFrom: 'body' };
  if (/^[A-Z]+ \/connectors\/\{connector\}(\/|$)/.test(route))
    return { kind: 'connector', write: method.toUpperCase() !== 'GET', nameFrom: 'path' };
  // The web console's static files are the same for everyone and hold no data: public, so a browser can load
  // the page before it has credentials (a bearer token is entered in the page). Every call the console
  // then makes is a REST call, checked like any other.
  if (/^(GET|HEAD) \/ui(\/|$)/.test(route)) return { kind: 'public' };
  return { kind: 'admin' };
}

/** Whether a role may do what a route needs (the tenant is checked separately). */
export function roleAllows(role: Role, access: RouteAccess): boolean {
  if (role === 'admin' || access.kind === 'public' || access.kind === 'read') return true;
  if (access.kind === 'connector') return role === 'operator' || !access.write;
  return false;
}

/** The caller as `GET /principal` shows it; null (no security installed) is the anonymous admin. */
export function principalView(principal: Principal | null): PrincipalView {
  const { name, role, tenant } = principal ?? ANONYMOUS;
  return {
    name,
    role,
    tenant,
    may_write: roleAllows(role, { kind: 'connector', write: true, nameFrom: 'path' }),
  };
}
