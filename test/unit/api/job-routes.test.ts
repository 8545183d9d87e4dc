import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRestServer } from '../../../api/index.js';
import type { JobService, JobView } from '../../../runtime/jobs/job-service.js';
import { errorMessageOf, restFixture } from './rest-fixture.js';
import { FakeHerder } from './fake-herder.js';

const view = (id: string, type: string): JobView => ({
  id,
  type,
  config: {},
  state: 'waiting',
  progress: {
    units_done: 0,
    units_total: 1,
    records: 0,
    bytes: 0,
    estimated_records: null,
    records_per_second: 0,
    eta_seconds: null,
    possible_duplicates: 0,
  },
  created_at: new Date(0).toISOString(),
  started_at: null,
  finished_at: null,
  error: null,
  result: null,
});

function recordingJobs(): { service: JobService; submitted: [string, Record<string, string>][] } {
  const submitted: [string, Record<string, string>][] = [];
  return {
    submitted,
    service: {
      submit: async (type, config) => {
        submitted.push([type, { ...config }]);
        return view('j1', type);
      },
      list: async () => [view('j1', 'backfill')],
      get: async (id) => view(id, 'backfill'),
      cancel: async (id) => view(id, 'backfill'),
      retry: async (id) => view(id, 'backfill'),
    },
  };
}

const inject = (
  app: ReturnType<typeof createRestServer>,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  body?: unknown,
) =>
  app.inject({
    method,
    url,
    ...(body === undefined
      ? {}
      : { payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });

test('without redis.url every /jobs endpoint answers 503 saying how to enable jobs', async () => {
  const rest = restFixture();
  for (const [method, url] of [
    ['GET', '/jobs'],
    ['GET', '/jobs/x'],
    ['DELETE', '/jobs/x'],
    ['POST', '/jobs/x/retry'],
  ] as const) {
    assert.match(errorMessageOf(await rest.request(method, url), 503), /redis\.url/);
  }
  const submit = await rest.request('POST', '/jobs', { type: 'backfill', config: {} });
  assert.match(errorMessageOf(submit, 503), /set redis\.url in the worker configuration/);
});

test('POST /jobs validates the body, coerces config scalars to strings and answers 202', async () => {
  const jobs = recordingJobs();
  const app = createRestServer(new FakeHerder(), { jobs: jobs.service });
  assert.match(errorMessageOf(await inject(app, 'POST', '/jobs', { config: {} }), 400), /'type' is required/);
  assert.match(
    errorMessageOf(await inject(app, 'POST', '/jobs', { type: 'backfill', config: { a: { b: 1 } } }), 400),
    /'a' \(at \/config\/a\) must be of type string, number, boolean/,
  );
  assert.match(
    errorMessageOf(await inject(app, 'POST', '/jobs', { type: 'backfill', config: {}, extra: 1 }), 400),
    /must NOT have additional properties/,
  );
  const accepted = await inject(app, 'POST', '/jobs', { type: 'backfill', config: { 'chunk.size': 10 } });
  assert.equal(accepted.statusCode, 202);
  assert.equal((accepted.json() as JobView).id, 'j1');
  assert.deepEqual(jobs.submitted, [['backfill', { 'chunk.size': '10' }]]);
  assert.equal((await inject(app, 'GET', '/jobs')).statusCode, 200);
  assert.equal((await inject(app, 'DELETE', '/jobs/j1')).statusCode, 202);
  assert.equal((await inject(app, 'POST', '/jobs/j1/retry')).statusCode, 202);
});
