import type { Herder } from '../runtime/cluster/herder.js';
import type { JobService } from '../runtime/jobs/job-service.js';
import type { Principal } from '../runtime/security/index.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a handler sees of a request: decoded path parameters, the query string and the validated JSON body. */
export interface RestRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
  /** Who the request was authenticated as; null when the worker has no REST security installed. */
  readonly principal: Principal | null;
}

/** The interfaces routes reach besides the Herder. */
export interface RestServices {
  readonly jobs: JobService;
}

export interface RestReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface QueryParameterSpec {
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly description: string;
}

/**
 * One REST endpoint: the single description both the fastify router and the OpenAPI document are built from,
 * so the published document cannot drift from what the server answers.
 */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** OpenAPI path template, e.g. `/connectors/{connector}/status`. */
  readonly path: string;
  readonly summary: string;
  readonly query?: readonly QueryParameterSpec[];
  /** Name of the schema in schemas/rest-bodies.ts `restBodySchemas` the body is validated against. */
  readonly body?: RestBodyName;
  /** Status code → description; every status the endpoint answers with on purpose. */
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  handle(herder: Herder, request: RestRequest, services: RestServices): Promise<RestReply>;
  /** The reply when the herder does not answer in time; by default a 500 REQUEST_TIMEOUT error. */
  readonly onTimeout?: () => RestReply;
}

export interface ResponseSpec {
  readonly description: string;
  /** Name of a response schema in schemas/openapi.ts `restResponseSchemas`, when the response has a body. */
  readonly schema?: RestResponseName;
  /** A body that is not JSON (e.g. Prometheus text): its media type, documented with a string schema. */
  readonly mediaType?: string;
}

export type RestBodyName = keyof typeof import('../schemas/rest-bodies.js').restBodySchemas;
export type RestResponseName = keyof typeof import('../schemas/openapi.js').restResponseSchemas;
