// The command line a user types: help, and clear failures (naming the file and line) for worker
// property files that are missing or malformed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KAFKA_BOOTSTRAP } from '../../support/endpoints.js';
import { freePort, makeTempDir, removeTempDir, runCli } from '../../support/worker-process.js';

describe('sluice CLI', { timeout: 120_000 }, () => {
  let dir = '';
  before(async () => {
    dir = await makeTempDir('cli');
  });
  after(async () => {
    await removeTempDir(dir);
  });

  test('--help exits 0 and prints the usage', async () => {
    const result = await runCli(['--help']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Usage:/);
    assert.match(result.stdout, /sluice standalone <worker\.properties>/);
  });

  test('a missing worker file exits non-zero naming the file', async () => {
    const missing = join(dir, 'does-not-exist.properties');
    const result = await runCli(['standalone', missing]);
    assert.notEqual(result.code, 0);
    assert.ok(result.stderr.includes(missing), result.stderr);
    assert.match(result.stderr, /no such file/i);
  });

  test('a malformed worker file exits non-zero naming the file and line', async () => {
    const file = join(dir, 'malformed.properties');
    await writeFile(file, `# worker\nbootstrap.servers=${KAFKA_BOOTSTRAP}\nclient.id=bad\\uZZ12\n`);
    const result = await runCli(['standalone', file]);
    assert.notEqual(result.code, 0);
    assert.ok(result.stderr.includes(`${file}:3`), result.stderr);
    assert.match(result.stderr, /Malformed \\uxxxx encoding/);
  });

  test('an invalid worker setting exits non-zero naming the key', async () => {
    const file = join(dir, 'invalid.properties');
    const port = await freePort();
    await writeFile(
      file,
      [
        `bootstrap.servers=${KAFKA_BOOTSTRAP}`,
        `listeners=http://127.0.0.1:${port}`,
        `offset.storage.file.filename=${join(dir, 'offsets')}`,
        'offset.flush.interval.ms=soon',
      ].join('\n'),
    );
    const result = await runCli(['standalone', file]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /offset\.flush\.interval\.ms/);
  });

  test('a malformed connector file exits non-zero naming the file and position', async () => {
    const worker = join(dir, 'ok.properties');
    const port = await freePort();
    await writeFile(
      worker,
      [
        `bootstrap.servers=${KAFKA_BOOTSTRAP}`,
        `listeners=http://127.0.0.1:${port}`,
        `offset.storage.file.filename=${join(dir, 'offsets2')}`,
      ].join('\n'),
    );
    const connector = join(dir, 'connector.json');
    await writeFile(
      connector,
      '{\n  "name": "x",\n  "config": {\n    "connector.class": "FileStreamSink",\n  }\n}\n',
    );
    const result = await runCli(['standalone', worker, connector], 30_000);
    assert.notEqual(result.code, 0);
    assert.ok(result.stderr.includes(connector), result.stderr);
    assert.match(result.stderr, new RegExp(`${connector.replace(/[.]/g, '\\.')}:5`));
  });
});
