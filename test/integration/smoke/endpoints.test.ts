// scripts/services.mjs (plain JS, runs before any build) keeps its own copy of the endpoint
// defaults; this fails when it and test/support/endpoints.ts disagree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as endpoints from '../../support/endpoints.js';

function repoRoot(): string {
  // Runs from test/ (tsx) or dist/test/ (compiled); walk up to the package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above this test');
    dir = parent;
  }
  return dir;
}

test('the service scripts and the tests read the same endpoints', async () => {
  const scriptUrl = pathToFileURL(join(repoRoot(), 'test/services/lib/endpoints.mjs')).href;
  const script = (await import(scriptUrl)) as Record<string, unknown>;
  const constants = (module: Record<string, unknown>) =>
    Object.fromEntries(
      Object.entries(module).filter(
        ([name, value]) => /^[A-Z0-9_]+$/.test(name) && typeof value === 'string',
      ),
    );
  assert.deepEqual(constants(script), constants(endpoints as unknown as Record<string, unknown>));
  assert.ok(Object.keys(constants(script)).length >= 10);
});
