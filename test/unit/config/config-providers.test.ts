import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createConfigTransformer,
  hasPlaceholder,
  providerKindOf,
} from '../../../runtime/config/config-providers.js';
import { SluiceError } from '../../../runtime/errors/sluice-error.js';

let dir = '';
let secretsFile = '';
let secretsDir = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-providers-'));
  secretsFile = join(dir, 'secrets.properties');
  await writeFile(secretsFile, 'username=alice\npassword=s3cr3t\nindirect=${file:/nowhere:x}\n');
  secretsDir = join(dir, 'secrets.d');
  await mkdir(join(secretsDir, 'subdir'), { recursive: true });
  await writeFile(join(secretsDir, 'db-password'), 'hunter2\n');
  await writeFile(join(secretsDir, 'subdir', 'nested'), 'nope');
  await writeFile(join(dir, 'outside'), 'outside-secret');
  process.env.SLUICE_TEST_USER = 'bob';
  process.env.SLUICE_TEST_OTHER = 'other';
});

/** A worker that declares the three built-ins under their own names. */
const BUILT_INS_DECLARED = { 'config.providers': 'env,file,directory' };

function assertProviderFailure(error: unknown, mustInclude: string[], mustNotInclude: string[] = []): true {
  assert.ok(error instanceof SluiceError, String(error));
  assert.equal(error.code, 'CONFIG_PROVIDER_FAILED');
  for (const text of mustInclude)
    assert.ok(error.message.includes(text), `${error.message} should include ${text}`);
  for (const text of mustNotInclude)
    assert.ok(!error.message.includes(text), `${error.message} must not include ${text}`);
  return true;
}

describe('createConfigTransformer', () => {
  test('env, file and directory work once declared', async () => {
    const t = createConfigTransformer(BUILT_INS_DECLARED);
    const out = await t.transform({
      user: '${env:SLUICE_TEST_USER}',
      password: `\${file:${secretsFile}:password}`,
      db: `\${directory:${secretsDir}:db-password}`,
      plain: 'no placeholder here',
    });
    assert.deepEqual(out, { user: 'bob', password: 's3cr3t', db: 'hunter2\n', plain: 'no placeholder here' });
  });

  test('replaces a placeholder in the middle of a value, and several in one value', async () => {
    const t = createConfigTransformer(BUILT_INS_DECLARED);
    const out = await t.transform({
      url: `jdbc:postgresql://db:5432/app?user=\${file:${secretsFile}:username}&password=\${file:${secretsFile}:password}`,
      greeting: 'hello, ${env:SLUICE_TEST_USER}; goodbye, ${env:SLUICE_TEST_USER}!!!',
    });
    assert.equal(out.url, 'jdbc:postgresql://db:5432/app?user=alice&password=s3cr3t');
    assert.equal(out.greeting, 'hello, bob; goodbye, bob!!!');
  });

  test('does not resolve placeholders inside resolved values (one level only, like Connect)', async () => {
    const out = await createConfigTransformer(BUILT_INS_DECLARED).transform({
      v: `\${file:${secretsFile}:indirect}`,
    });
    assert.equal(out.v, '${file:/nowhere:x}');
  });

  test('leaves the input untouched so stored configs keep the placeholder', async () => {
    const input = { password: `\${file:${secretsFile}:password}` };
    await createConfigTransformer(BUILT_INS_DECLARED).transform(input);
    assert.equal(input.password, `\${file:${secretsFile}:password}`);
  });

  test('a missing variable fails naming the config key and placeholder', async () => {
    await assert.rejects(
      createConfigTransformer(BUILT_INS_DECLARED).transform({
        'connection.password': '${env:SLUICE_TEST_SURELY_UNSET_VAR}',
      }),
      (e) => assertProviderFailure(e, ['connection.password', '${env:SLUICE_TEST_SURELY_UNSET_VAR}']),
    );
  });

  test("a missing key in a file fails without revealing the file's other values", async () => {
    await assert.rejects(
      createConfigTransformer(BUILT_INS_DECLARED).transform({ pw: `\${file:${secretsFile}:nokey}` }),
      (e) => assertProviderFailure(e, ['pw', 'nokey'], ['s3cr3t', 'alice']),
    );
  });

  test('placeholders of undeclared providers stay literal text, as Connect leaves unresolved variables', async () => {
    const undeclared = {
      token: '${vault:secret/data/x:token}',
      home: '${env:SLUICE_TEST_USER}',
      pw: `\${file:${secretsFile}:password}`,
      db: `\${directory:${secretsDir}:db-password}`,
    };
    assert.deepEqual(await createConfigTransformer({}).transform(undeclared), undeclared);
    const onlyEnv = createConfigTransformer({ 'config.providers': 'env' });
    assert.deepEqual(await onlyEnv.transform({ u: '${env:SLUICE_TEST_USER}', pw: undeclared.pw }), {
      u: 'bob',
      pw: undeclared.pw,
    });
  });

  test('the directory provider reads only plain files directly in the directory', async () => {
    const t = createConfigTransformer(BUILT_INS_DECLARED);
    await assert.rejects(t.transform({ a: `\${directory:${secretsDir}:subdir}` }), (e) =>
      assertProviderFailure(e, ['subdir']),
    );
    await assert.rejects(t.transform({ a: `\${directory:${secretsDir}:../outside}` }), (e) =>
      assertProviderFailure(e, ['../outside'], ['outside-secret']),
    );
  });

  test('the env provider refuses a path, as Connect does', async () => {
    await assert.rejects(
      createConfigTransformer(BUILT_INS_DECLARED).transform({ a: '${env:/some/path:SLUICE_TEST_USER}' }),
      (e) => assertProviderFailure(e, ['a', 'Path is not supported']),
    );
  });

  test('declared providers use Connect class names and param.* settings', async () => {
    const t = createConfigTransformer({
      'config.providers': 'vars,files',
      'config.providers.vars.class': 'org.apache.kafka.common.config.provider.EnvVarConfigProvider',
      'config.providers.vars.param.allowlist.pattern': 'SLUICE_TEST_U.*',
      'config.providers.files.class': 'FileConfigProvider',
      'config.providers.files.param.allowed.paths': secretsDir,
    });
    assert.deepEqual(await t.transform({ u: '${vars:SLUICE_TEST_USER}' }), { u: 'bob' });
    await assert.rejects(t.transform({ o: '${vars:SLUICE_TEST_OTHER}' }), (e) =>
      assertProviderFailure(e, ['o']),
    );
    // allowed.paths keeps the declared file provider out of files outside the allowed directory.
    await assert.rejects(t.transform({ p: `\${files:${secretsFile}:password}` }), (e) =>
      assertProviderFailure(e, ['p', 'allowed.paths'], ['s3cr3t']),
    );
  });
});

describe('placeholder helpers', () => {
  test('hasPlaceholder finds ${provider:key} and ${provider:path:key} but not ${name}', () => {
    assert.equal(hasPlaceholder('${env:X}'), true);
    assert.equal(hasPlaceholder('a ${file:/p:k} b'), true);
    assert.equal(hasPlaceholder('${topic}'), false);
    assert.equal(hasPlaceholder('plain'), false);
  });

  test('providerKindOf accepts FQCNs, simple names and aliases', () => {
    assert.equal(providerKindOf('org.apache.kafka.common.config.provider.FileConfigProvider'), 'file');
    assert.equal(providerKindOf('DirectoryConfigProvider'), 'directory');
    assert.equal(providerKindOf('env'), 'env');
    assert.equal(providerKindOf('com.example.Vault'), null);
  });
});
