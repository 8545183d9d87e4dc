import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { Ajv } from 'ajv';
import type { ConfigDef } from '../../../runtime/api/config-def.js';
import { configDefToJsonSchema } from '../../../runtime/config/json-schema.js';
import {
  connectorConfigDef,
  sinkConnectorConfigDef,
  sourceConnectorConfigDef,
} from '../../../runtime/config/connector-config.js';
import {
  distributedWorkerConfigDef,
  standaloneWorkerConfigDef,
} from '../../../runtime/config/worker-config.js';
import {
  distributedWorkerConfigSchema,
  standaloneWorkerConfigSchema,
} from '../../../schemas/worker-config.js';

const def: ConfigDef = {
  name: { type: 'string', importance: 'high', documentation: 'name', validator: { nonEmpty: true } },
  'tasks.max': { type: 'int', default: 1, importance: 'high', documentation: 'tasks' },
  ratio: { type: 'double', default: 0.5, importance: 'low', documentation: 'ratio' },
  'errors.tolerance': {
    type: 'string',
    default: 'none',
    importance: 'medium',
    documentation: 'tolerance',
    validator: { oneOf: ['none', 'all'] },
  },
  'errors.log.enable': { type: 'boolean', default: false, importance: 'medium', documentation: 'log' },
  modes: {
    type: 'list',
    default: [],
    importance: 'low',
    documentation: 'modes',
    validator: { oneOf: ['a', 'b'] },
  },
  prefix: {
    type: 'string',
    default: 'x',
    importance: 'low',
    documentation: 'prefix',
    validator: { pattern: '^[a-z]+$' },
  },
};

function validatorFor(schema: object) {
  const ajv = new Ajv({ allErrors: true, strict: true });
  return ajv.compile(schema);
}

describe('configDefToJsonSchema', () => {
  const validate = validatorFor(configDefToJsonSchema(def, { additionalProperties: true }));

  test('accepts a valid string-only config, case-insensitive enums and booleans included', () => {
    assert.equal(
      validate({
        name: 'c',
        'tasks.max': ' 3 ',
        ratio: '1e3',
        'errors.tolerance': 'ALL',
        'errors.log.enable': 'True',
        modes: 'a, B',
        prefix: 'abc',
        other: 'kept',
      }),
      true,
      JSON.stringify(validate.errors),
    );
  });

  test('errors name the key', () => {
    assert.equal(
      validate({
        name: 'c',
        'tasks.max': 'two',
        'errors.tolerance': 'some',
        'errors.log.enable': 'yes',
        modes: 'a,c',
        prefix: 'ABC',
        ratio: 'x',
      }),
      false,
    );
    const paths = new Set((validate.errors ?? []).map((e) => e.instancePath));
    for (const key of ['tasks.max', 'errors.tolerance', 'errors.log.enable', 'modes', 'prefix', 'ratio'])
      assert.ok(paths.has(`/${key}`), `no error for ${key}: ${[...paths].join(' ')}`);
    assert.ok(!paths.has('/name'));
  });

  test('keys without default are required; non-strings are refused', () => {
    assert.equal(validate({}), false);
    assert.ok(
      validate.errors?.some(
        (e) =>
          e.keyword === 'required' && (e.params as { missingProperty: string }).missingProperty === 'name',
      ),
    );
    assert.equal(validate({ name: 'c', 'tasks.max': 3 }), false);
    assert.equal(validate({ name: '' }), false);
  });

  test('additionalProperties: false refuses unknown keys', () => {
    const strict = validatorFor(configDefToJsonSchema(def, { additionalProperties: false }));
    assert.equal(strict({ name: 'c', unknown: 'x' }), false);
    assert.equal(strict.errors?.[0]?.keyword, 'additionalProperties');
  });

  test('the built-in ConfigDefs all compile under ajv strict mode', () => {
    for (const d of [
      connectorConfigDef,
      sinkConnectorConfigDef,
      sourceConnectorConfigDef,
      standaloneWorkerConfigDef,
      distributedWorkerConfigDef,
    ]) {
      validatorFor(configDefToJsonSchema(d, { additionalProperties: true }));
    }
  });
});

describe('schemas/', () => {
  test('schemas/worker-config.ts is up to date with the worker ConfigDefs (regenerate with schemas/generate-worker-config.ts)', () => {
    assert.deepEqual(
      standaloneWorkerConfigSchema,
      configDefToJsonSchema(standaloneWorkerConfigDef, { additionalProperties: true }),
    );
    assert.deepEqual(
      distributedWorkerConfigSchema,
      configDefToJsonSchema(distributedWorkerConfigDef, { additionalProperties: true }),
    );
  });

  test('a distributed worker schema requires the storage topics', () => {
    const validate = validatorFor(distributedWorkerConfigSchema);
    assert.equal(validate({ 'group.id': 'g' }), false);
    assert.equal(
      validate({
        'group.id': 'g',
        'config.storage.topic': 'c',
        'offset.storage.topic': 'o',
        'status.storage.topic': 's',
        'heartbeat.interval.ms': '3000',
      }),
      true,
    );
  });

  test('every JSON Schema exported from schemas/*.ts compiles with ajv', async () => {
    const dir = new URL('../../../schemas/', import.meta.url);
    // Run from sources (tsx: .ts) or from the build (dist: .js).
    const files = (await readdir(dir)).filter(
      (f) => (f.endsWith('.js') || (f.endsWith('.ts') && !f.endsWith('.d.ts'))) && !f.startsWith('generate-'),
    );
    let compiled = 0;
    const isSchema = (v: unknown): v is Record<string, unknown> =>
      typeof v === 'object' && v !== null && ('type' in v || '$schema' in v || 'anyOf' in v || 'oneOf' in v);
    for (const file of files) {
      const module = (await import(new URL(file, dir).href)) as Record<string, unknown>;
      for (const [name, exported] of Object.entries(module)) {
        const candidates = isSchema(exported)
          ? [[name, exported] as const]
          : typeof exported === 'object' && exported !== null
            ? Object.entries(exported).filter(([, v]) => isSchema(v))
            : [];
        for (const [schemaName, schema] of candidates) {
          assert.doesNotThrow(
            () => new Ajv({ strict: false }).compile(schema as object),
            `${file}: ${String(schemaName)}`,
          );
          compiled++;
        }
      }
    }
    assert.ok(compiled >= 2, `only ${compiled} schemas found`);
  });
});
