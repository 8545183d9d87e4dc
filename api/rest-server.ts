import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Herder } from '../runtime/cluster/herder.js';
import { disabledJobService, type JobService } from '../runtime/jobs/job-service.js';
import { MAX_ENCODED_CONNECTOR_NAME_LENGTH } from '../runtime/config/connector-config.js';
import { SluiceError } from '../runtime/errors/sluice-error.js';
import { runAsPrincipal, type RestSecurity, type RestServerTls } from '../runtime/security/index.js';
import { BodyValidator } from './body-validation.js';
import { registerConsole } from './console-static.js';
import { errorReplyOf } from './error-reply.js';
import { parseJsonBody } from './json-body-parser.js';
import { installSecurityHooks, principalOf } from './security-hooks.js';
import { buildOpenApiDocument, openApiPath } from './openapi-document.js';
import type { RestReply, RouteSpec } from './route-spec.js';
import { restRoutes } from './route-table.js';
import { withinTimeout } from './within-timeout.js';

/** Connect's default REST request timeout: a distributed herder may wait out a rebalance. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 90_000;

export interface RestServerOptions {
  /** A pino logger; without one the server logs nothing. */
  readonly logger?: FastifyBaseLogger;
  /** How long a request waits for the herder before answering 500 "Request timed out". */
  readonly requestTimeoutMs?: number;
  /** Authentication, roles and tenants (runtime/security); without it every caller may do everything. */
  readonly security?: RestSecurity;
  /** Serve https with this key and certificate (and ask for client certificates when configured). */
  readonly tls?: RestServerTls;
  /** Jobs (POST /jobs, ...); without it those endpoints answer 503 (no `redis.url`). */
  readonly jobs?: JobService;
}

/** fastify's https option for a listener's TLS settings. */
function httpsOptions(tls: RestServerTls): Record<string, unknown> {
  return {
    key: tls.key,
    cert: tls.cert,
    ...(tls.passphrase === undefined ? {} : { passphrase: tls.passphrase }),
    ...(tls.ca === undefined ? {} : { ca: tls.ca }),
    requestCert: tls.clientAuth !== 'none',
    // required: a client without a trusted certificate fails the handshake; requested: it may go on unauthenticated.
    rejectUnauthorized: tls.clientAuth === 'required',
  };
}

/** A router refusal as the registry error it stands for; others keep fastify's status and message. */
function frameworkError(error: Error & { code?: string }): Error {
  return error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? new SluiceError('PATH_SEGMENT_TOO_LONG', [MAX_ENCODED_CONNECTOR_NAME_LENGTH])
    : error;
}

/** Fastify's `:param` form of an OpenAPI path template. */
function fastifyUrlOf(path: string): string {
  return path.replace(/\{([^}]+)\}/g, ':$1');
}

/** A route path (`/connectors/{connector}/status`) as a regular expression over request paths. */
function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
  return new RegExp(`^${escaped}/?$`);
}

function sendReply(reply: FastifyReply, result: RestReply): FastifyReply {
  reply.code(result.status);
  for (const [name, value] of Object.entries(result.headers ?? {})) reply.header(name, value);
  return result.body === undefined ? reply.send() : reply.send(result.body);
}

/**
 * The Kafka Connect-compatible REST API over a Herder. Handlers only translate HTTP to Herder calls;
 * every failure, including fastify's own (bad media type, body too large), is answered with
 * Connect's `{"error_code", "message"}` body.
 */
export function createRestServer(herder: Herder, options: RestServerOptions = {}): FastifyInstance {
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const app = Fastify({
    ...(options.tls === undefined ? {} : { https: httpsOptions(options.tls) }),
    ...(options.logger === undefined ? { logger: false } : { loggerInstance: options.logger }),
    // Connect tolerates `/connectors/`; every connector name the config check accepts must fit one segment.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_ENCODED_CONNECTOR_NAME_LENGTH },
    // The router's own refusals (a segment over maxParamLength, a malformed escape) get Connect's body too.
    frameworkErrors: (error, _request, reply) => {
      const { status, body } = errorReplyOf(frameworkError(error));
      // fastify types this reply for the route generics, which a router refusal has none of.
      return (reply as unknown as FastifyReply).code(status).send(body);
    },
    // fastify types an https instance apart; the routes and hooks are the same for both.
  }) as unknown as FastifyInstance;

  // Connect's resources consume application/json only: any other media type is 415, not a body parsed
  // as text and then refused as invalid (fastify also parses text/plain by default).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body } = errorReplyOf(error);
    if (status >= 500) request.log.error({ err: error }, `REST ${request.method} ${request.url} failed`);
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    // A known path with another method is a 405 with an Allow header, as Connect's Jersey answers it.
    const path = request.url.split('?')[0] ?? '';
    const allowed = [
      ...new Set(restRoutes.filter((r) => pathPattern(r.path).test(path)).map((r) => r.method)),
    ];
    // The method is allowed but the router still found nothing (a segment too long for it): not found.
    const wrongMethod = allowed.length > 0 && !allowed.includes(request.method as (typeof allowed)[number]);
    if (wrongMethod) reply.header('allow', allowed.join(', '));
    const { status, body } = errorReplyOf(
      new SluiceError(wrongMethod ? 'METHOD_NOT_ALLOWED' : 'ROUTE_NOT_FOUND'),
    );
    return reply.code(status).send(body);
  });

  if (options.security !== undefined) installSecurityHooks(app, herder, options.security);

  const services = { jobs: options.jobs ?? disabledJobService };
  const validator = new BodyValidator();
  const register = (route: RouteSpec): void => {
    app.route({
      method: route.method,
      url: fastifyUrlOf(route.path),
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        if (route.body !== undefined) validator.assertValid(route.body, request.body);
        const principal = principalOf(request);
        const restRequest = {
          params: request.params as Record<string, string>,
          query: request.query as Record<string, string | string[] | undefined>,
          body: request.body,
          principal,
        };
        // Promise.resolve().then() turns a synchronous throw from a herder getter into a rejection.
        // The principal goes with the request's async work, so a write forwarded to the leader can say for whom.
        const handle = (): Promise<RestReply> => route.handle(herder, restRequest, services);
        const work = Promise.resolve().then(() =>
          principal === null ? handle() : runAsPrincipal(principal.name, handle),
        );
        try {
          return sendReply(
            reply,
            await withinTimeout(work, requestTimeoutMs, `${route.method} ${route.path}`),
          );
        } catch (error) {
          if (
            route.onTimeout !== undefined &&
            error instanceof SluiceError &&
            error.code === 'REQUEST_TIMEOUT'
          ) {
            return sendReply(reply, route.onTimeout());
          }
          throw error;
        }
      },
    });
  };
  restRoutes.forEach(register);

  let openApiDocument: Record<string, unknown> | undefined;
  app.get(openApiPath, async () => {
    openApiDocument ??= buildOpenApiDocument(restRoutes, herder.serverInfo().version);
    return openApiDocument;
  });
  registerConsole(app);
  return app;
}
