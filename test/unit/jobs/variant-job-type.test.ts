import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { JobType } from '../../../runtime/api/job.js';
import { JobTypeRegistry } from '../../../runtime/jobs/job-type-registry.js';
import { variantJobType } from '../../../runtime/jobs/variant-job-type.js';

const variant = (name: string, required: string): JobType => ({
  name: 'backfill',
  description: name,
  configSchema: { type: 'object', required: [required], additionalProperties: { type: 'string' } },
  plan: () => Promise.resolve({ units: [{ spec: { from: name } }] }),
  runUnit: () => Promise.resolve({ from: name }),
});

const registry: JobTypeRegistry = new JobTypeRegistry([
  variantJobType({
    name: 'backfill',
    description: 'either',
    key: 'source',
    defaultVariant: 'postgres',
    variants: { postgres: variant('postgres', 'table'), cassandra: variant('cassandra', 'keyspace') },
  }),
]);

test('the config key chooses the variant; without it the default one plans', async () => {
  const type = registry.get('backfill');
  assert.deepEqual((await type.plan({ table: 't' }, console as never)).units[0]?.spec, { from: 'postgres' });
  assert.deepEqual(
    (await type.plan({ source: 'cassandra', keyspace: 'k' }, console as never)).units[0]?.spec,
    {
      from: 'cassandra',
    },
  );
});

test("the chosen variant's schema is checked, and names its key", () => {
  registry.assertValidConfig('backfill', { table: 't' });
  registry.assertValidConfig('backfill', { source: 'cassandra', keyspace: 'k' });
  assert.throws(() => registry.assertValidConfig('backfill', { keyspace: 'k' }), /'table' is required/);
  assert.throws(
    () => registry.assertValidConfig('backfill', { source: 'cassandra', table: 't' }),
    /'keyspace' is required/,
  );
  assert.throws(
    () => registry.assertValidConfig('backfill', { source: 'mysql', table: 't' }),
    /'source' must be equal to one of the allowed values/,
  );
});
