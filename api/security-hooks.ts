import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Herder } from '../runtime/cluster/herder.js';
import { SluiceError } from '../runtime/errors/sluice-error.js';
import {
  isForwardedRequest,
  type Principal,
  type RestSecurity,
  type RouteAccess,
} from '../runtime/security/index.js';

/** What the hooks learnt about one request. */
interface RequestSecurity {
  readonly access: RouteAccess;
  readonly template: string;
  principal: Principal | null;
}

const state = new WeakMap<FastifyRequest, RequestSecurity>();

/** The principal a request was authenticated as, for handlers that pass it on (forwarding). */
export function principalOf(request: FastifyRequest): Principal | null {
  return state.get(request)?.principal ?? null;
}

/** Routes whose body is a connector config that a tenant's limits apply to. */
const CONFIG_ROUTES = new Set([
  'POST /connectors',
  'PUT /connectors/{connector}/config',
  'PATCH /connectors/{connector}/config',
]);

function templateOf(request: FastifyRequest): string {
  const url = request.routeOptions.url ?? request.url.split('?')[0] ?? '/';
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function certificateSubject(request: FastifyRequest): Record<string, string | string[]> | null {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (socket.authorized !== true || typeof socket.getPeerCertificate !== 'function') return null;
  const subject = socket.getPeerCertificate().subject as Record<string, string | string[]> | undefined;
  return subject ?? null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Scalars as strings, as the routes store them; anything else is left to the route's validation. */
function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

function connectorNameOf(request: FastifyRequest, access: RouteAccess): string | null {
  if (access.kind !== 'connector') return null;
  if (access.nameFrom === 'path') return (request.params as Record<string, string>)['connector'] ?? null;
  const name = isRecord(request.body) ? request.body['name'] : undefined;
  return typeof name === 'string' ? name.trim() : null;
}

/** The config a write would leave the connector with (a PATCH applied to what is stored). */
async function configAfterWrite(
  herder: Herder,
  route: string,
  name: string,
  body: unknown,
): Promise<Record<string, string>> {
  if (route === 'POST /connectors') return stringRecord(isRecord(body) ? body['config'] : undefined);
  if (route === 'PUT /connectors/{connector}/config') return stringRecord(body);
  const current = await herder.connectorConfig(name).catch(() => ({}) as Record<string, string>);
  const merged: Record<string, string> = { ...current };
  if (isRecord(body)) {
    for (const [k, v] of Object.entries(body)) {
      if (v === null) delete merged[k];
      else if (typeof v !== 'object') merged[k] = String(v);
    }
  }
  return merged;
}

/** The connectors (and their configs) a principal's tenant already has. */
async function tenantConnectors(herder: Herder, security: RestSecurity, principal: Principal) {
  const names = (await herder.connectors()).filter((n) => security.visibleConnector(principal, n));
  const configs = await Promise.all(
    names.map((name) => herder.connectorConfig(name).catch(() => ({}) as Record<string, string>)),
  );
  return names.map((name, i) => ({ name, config: configs[i] ?? {} }));
}

const METRIC_CONNECTOR_LABEL = /[{,]connector="((?:[^"\\]|\\.)*)"/;

/** Prometheus text without the samples of connectors the principal does not see. */
function filterMetrics(text: string, visible: (name: string) => boolean): string {
  return text
    .split('\n')
    .filter((line) => {
      const match = METRIC_CONNECTOR_LABEL.exec(line);
      return (
        match === null || visible(match[1]!.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c)))
      );
    })
    .join('\n');
}

/** Connector lists (`GET /connectors`, plain or expanded) cut to what the principal sees. */
function filterConnectorList(payload: unknown, visible: (name: string) => boolean): unknown {
  if (Array.isArray(payload)) return payload.filter((n) => typeof n === 'string' && visible(n));
  if (isRecord(payload)) return Object.fromEntries(Object.entries(payload).filter(([n]) => visible(n)));
  return payload;
}

/**
 * Where a 401 names its scheme. A browser answers a `Basic` challenge with its own login dialog, even for a
 * script's request, and holds the request until the dialog is answered. A script that asks for the
 * credentials itself (the web console) says so with `X-Requested-With: XMLHttpRequest`, as jQuery's
 * requests do, and gets the challenge in `X-Sluice-Authenticate` instead (Spring Security leaves it out
 * for such requests for the same reason).
 */
function challengeHeader(request: FastifyRequest): string {
  return request.headers['x-requested-with'] === 'XMLHttpRequest'
    ? 'x-sluice-authenticate'
    : 'www-authenticate';
}

/**
 * Puts every REST request through the worker's security: authentication (401), the route's access rule
 * and the tenant's namespace (403), the tenant's limits on connector configs (403), answers cut to the
 * tenant, and an audit line for every request that changes something. The rules themselves live in
 * runtime/security; these hooks only gather what it needs to decide.
 */
export function installSecurityHooks(app: FastifyInstance, herder: Herder, security: RestSecurity): void {
  const authorizeNamed = (request: FastifyRequest, entry: RequestSecurity): void => {
    if (entry.principal === null) return;
    security.authorize(entry.principal, entry.access, connectorNameOf(request, entry.access));
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const template = templateOf(request);
    const access = security.accessOf(request.method, template);
    const entry: RequestSecurity = { access, template, principal: null };
    state.set(request, entry);
    if (access.kind === 'public') return;
    // A write forwarded by another worker is checked once its body (which the signature covers) is parsed.
    if (isForwardedRequest(request.headers)) return;
    try {
      entry.principal = await security.authenticate({
        authorization: request.headers.authorization,
        certificateSubject: certificateSubject(request),
      });
    } catch (error) {
      if (error instanceof SluiceError && error.code === 'UNAUTHENTICATED' && security.challenge !== null)
        reply.header(challengeHeader(request), security.challenge);
      throw error;
    }
    if (!(access.kind === 'connector' && access.nameFrom === 'body')) authorizeNamed(request, entry);
  });

  app.addHook('preHandler', async (request: FastifyRequest) => {
    const entry = state.get(request);
    if (entry === undefined || entry.access.kind === 'public' || !security.enabled) return;
    if (entry.principal === null) {
      entry.principal = security.authenticateForwarded({
        method: request.method,
        path: request.url,
        body: request.body === undefined ? '' : JSON.stringify(request.body),
        headers: request.headers,
      });
      authorizeNamed(request, entry);
    } else if (entry.access.kind === 'connector' && entry.access.nameFrom === 'body') {
      authorizeNamed(request, entry);
    }
    const route = `${request.method} ${entry.template}`;
    const principal = entry.principal;
    if (!CONFIG_ROUTES.has(route)) return;
    if (route !== 'POST /connectors' && isRecord(request.body)) {
      // A config read back (secrets as [hidden]) and sent again keeps the stored secrets.
      const name = connectorNameOf(request, entry.access) ?? '';
      const stored = await herder.connectorConfig(name).catch(() => ({}) as Record<string, string>);
      request.body = security.restoreSecrets(request.body, stored);
    }
    if (!security.limited(principal)) return;
    const name = connectorNameOf(request, entry.access) ?? '';
    security.checkConnectorConfig(
      principal,
      name,
      await configAfterWrite(herder, route, name, request.body),
      await tenantConnectors(herder, security, principal),
    );
  });

  app.addHook('preSerialization', async (request: FastifyRequest, _reply, payload: unknown) => {
    const principal = principalOf(request);
    const entry = state.get(request);
    if (principal === null || entry === undefined) return payload;
    const masked = security.maskSecrets(
      payload,
      request.method === 'GET' && entry.template === '/connectors/{connector}/config',
    );
    if (!security.limited(principal)) return masked;
    const visible = (n: string): boolean => security.visibleConnector(principal, n);
    if (request.method === 'GET' && entry.template === '/connectors')
      return filterConnectorList(masked, visible);
    if (request.method === 'GET' && entry.template === '/metrics/history' && isRecord(masked))
      return { ...masked, connectors: filterConnectorList(masked['connectors'], visible) };
    return masked;
  });

  app.addHook('onSend', async (request: FastifyRequest, _reply, payload: unknown) => {
    const principal = principalOf(request);
    const entry = state.get(request);
    if (principal === null || entry === undefined || !security.limited(principal)) return payload;
    if (request.method === 'GET' && entry.template === '/metrics' && typeof payload === 'string')
      return filterMetrics(payload, (n) => security.visibleConnector(principal, n));
    return payload;
  });

  app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return;
    const entry = state.get(request);
    const principal = entry?.principal ?? null;
    security.audit({
      principal: principal?.name ?? null,
      tenant: principal?.tenant ?? null,
      action: `${request.method} ${entry?.template ?? request.url}`,
      connector: entry === undefined ? null : connectorNameOf(request, entry.access),
      status: reply.statusCode,
    });
  });
}
