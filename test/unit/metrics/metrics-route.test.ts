import { test } from 'node:test';
import assert from 'node:assert/strict';
import { restFixture } from '../api/rest-fixture.js';

test('GET /metrics answers the Prometheus text format with Node process and worker metrics', async () => {
  const { request } = restFixture();
  const response = await request('GET', '/metrics');
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  assert.match(response.body, /^process_cpu_seconds_total \d/m);
  assert.match(response.body, /^nodejs_heap_size_used_bytes \d/m);
  assert.match(response.body, /^# TYPE kafka_connect_worker_connector_count gauge$/m);
});

test('the OpenAPI document describes /metrics as text', async () => {
  const { request } = restFixture();
  const document = (await request('GET', '/openapi.json')).json() as {
    paths: Record<string, Record<string, { responses: Record<string, { content?: object }> }>>;
  };
  const content = document.paths['/metrics']?.['get']?.responses['200']?.content ?? {};
  assert.deepEqual(Object.keys(content), ['text/plain; version=0.0.4']);
});
