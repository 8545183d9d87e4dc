import type { RouteSpec } from './route-spec.js';
import { restBodySchemas } from '../schemas/rest-bodies.js';
import { restResponseSchemas } from '../schemas/openapi.js';

export const openApiPath = '/openapi.json';

type JsonObject = Record<string, unknown>;

function pathParameters(path: string): JsonObject[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    // Names may hold any character; a slash must be sent percent-encoded (%2F).
    schema: match[1] === 'task' ? { type: 'integer' } : { type: 'string' },
  }));
}

function operationOf(route: RouteSpec): JsonObject {
  const parameters = [
    ...pathParameters(route.path),
    ...(route.query ?? []).map((query) => ({
      name: query.name,
      in: 'query',
      required: false,
      description: query.description,
      schema: { type: query.type },
    })),
  ];
  const responses: JsonObject = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] =
      response.mediaType !== undefined
        ? {
            description: response.description,
            content: { [response.mediaType]: { schema: { type: 'string' } } },
          }
        : response.schema === undefined
          ? { description: response.description }
          : {
              description: response.description,
              content: {
                'application/json': { schema: { $ref: `#/components/schemas/${response.schema}` } },
              },
            };
  }
  const operation: JsonObject = {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[{}]/g, '').replace(/[/-](\w)/g, (_, c: string) => c.toUpperCase())}`,
    summary: route.summary,
    responses,
  };
  if (parameters.length > 0) operation['parameters'] = parameters;
  if (route.body !== undefined) {
    operation['requestBody'] = {
      required: true,
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${route.body}` } } },
    };
  }
  return operation;
}

/** The OpenAPI 3 document of the REST API, derived from the same route table the server registers. */
export function buildOpenApiDocument(routes: readonly RouteSpec[], version: string): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const route of routes) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operationOf(route) };
  }
  paths[openApiPath] = {
    get: {
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI document',
      responses: {
        200: {
          description: 'OpenAPI 3 document',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/OpenApiDocument' } } },
        },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Sluice REST API',
      description:
        'Kafka Connect-compatible REST API. Errors are {"error_code": <HTTP status>, "message": "..."}.',
      version,
    },
    paths,
    components: { schemas: { ...restResponseSchemas, ...restBodySchemas } },
  };
}
