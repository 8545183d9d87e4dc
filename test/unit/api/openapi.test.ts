import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restFixture } from './rest-fixture.js';

const expectedOperations = [
  'GET /',
  'GET /health',
  'GET /principal',
  'GET /connectors',
  'POST /connectors',
  'GET /connectors/{connector}',
  'DELETE /connectors/{connector}',
  'GET /connectors/{connector}/config',
  'GET /connectors/{connector}/logs',
  'PUT /connectors/{connector}/config',
  'PATCH /connectors/{connector}/config',
  'GET /connectors/{connector}/status',
  'POST /connectors/{connector}/restart',
  'PUT /connectors/{connector}/pause',
  'PUT /connectors/{connector}/resume',
  'PUT /connectors/{connector}/stop',
  'GET /connectors/{connector}/tasks',
  'GET /connectors/{connector}/tasks/{task}/status',
  'POST /connectors/{connector}/tasks/{task}/restart',
  'GET /connectors/{connector}/topics',
  'PUT /connectors/{connector}/topics/reset',
  'GET /connectors/{connector}/offsets',
  'PATCH /connectors/{connector}/offsets',
  'DELETE /connectors/{connector}/offsets',
  'GET /connector-plugins',
  'GET /connector-plugins/{plugin}/config',
  'PUT /connector-plugins/{plugin}/config/validate',
  'GET /admin/loggers',
  'GET /admin/loggers/{logger}',
  'PUT /admin/loggers/{logger}',
  'GET /metrics',
  'POST /jobs',
  'GET /jobs',
  'GET /jobs/{id}',
  'DELETE /jobs/{id}',
  'POST /jobs/{id}/retry',
  'GET /metrics/history',
  'GET /openapi.json',
];

interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<string, unknown>;
        requestBody?: { content: Record<string, { schema: { $ref: string } }> };
      }
    >
  >;
  components: { schemas: Record<string, unknown> };
}

test('GET /openapi.json lists exactly the REST operations', async () => {
  const { request } = restFixture();
  const response = await request('GET', '/openapi.json');
  assert.equal(response.statusCode, 200);
  const document = response.json() as OpenApiDocument;
  assert.match(document.openapi, /^3\./);
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
  assert.deepEqual(operations.sort(), [...expectedOperations].sort());
});

test('every documented success status is what the server uses, and every $ref resolves', async () => {
  const { request } = restFixture();
  const document = (await request('GET', '/openapi.json')).json() as OpenApiDocument;
  assert.ok(document.paths['/connectors/{connector}/restart']?.['post']?.responses['202']);
  assert.ok(document.paths['/connectors/{connector}/restart']?.['post']?.responses['204']);
  assert.ok(document.paths['/connectors']?.['post']?.responses['201']);
  assert.ok(document.paths['/connectors/{connector}/config']?.['put']?.responses['201']);
  const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(
    (match) => match[1] ?? '',
  );
  assert.ok(refs.length > 20);
  for (const ref of refs) assert.ok(ref in document.components.schemas, `unresolved $ref ${ref}`);
  assert.equal(
    document.paths['/connectors']?.['post']?.requestBody?.content['application/json']?.schema.$ref,
    '#/components/schemas/CreateConnectorRequest',
  );
});

test('every route in the route table answers something other than the not-found fallback', async () => {
  const { app } = restFixture();
  for (const operation of expectedOperations) {
    const [method, path] = operation.split(' ') as [string, string];
    const url = path
      .replace('{connector}', 'c')
      .replace('{task}', '0')
      .replace('{plugin}', 'p')
      .replace('{logger}', 'root');
    const response = await app.inject({ method: method as 'GET', url });
    const fallback = response.statusCode === 404 && response.json().message === 'HTTP 404 Not Found';
    assert.equal(fallback, false, `${operation} is not routed`);
  }
});
