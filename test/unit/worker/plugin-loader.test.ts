import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from '../../../runtime/api/logger.js';
import { loadPluginPath } from '../../../runtime/worker/plugin-loader.js';

function recordingLogger(): Logger & { readonly warnings: string[] } {
  const warnings: string[] = [];
  const ignore = (): void => undefined;
  return { warnings, debug: ignore, info: ignore, error: ignore, warn: (m) => void warnings.push(m) };
}

describe('plugin.path', () => {
  test('a directory of jars (a Connect install) is skipped with a warning saying what plugin.path means', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-jars-'));
    writeFileSync(join(dir, 'some-connector.jar'), '');
    const logger = recordingLogger();
    assert.deepEqual(await loadPluginPath([dir], '/', logger), []);
    assert.equal(logger.warnings.length, 1);
    assert.match(logger.warnings[0]!, /skipped: it is a directory without package\.json.*npm packages/);
  });

  test('a package directory is loaded through its package.json entry', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-plugin-pkg-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', exports: './main.js' }));
    writeFileSync(join(dir, 'main.js'), 'export const plugins = [];\n');
    assert.deepEqual(await loadPluginPath([dir], '/', recordingLogger()), []);
  });

  test('a path that does not exist is an error naming plugin.path', async () => {
    await assert.rejects(loadPluginPath(['./nowhere-at-all'], tmpdir()), /plugin\.path.*does not exist/);
  });
});
