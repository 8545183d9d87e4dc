#!/usr/bin/env node
// Runs the compiled test suite with node's test runner.
//   node scripts/run-tests.mjs unit         unit tests only (no services needed)
//   node scripts/run-tests.mjs integration  brings the services up first, then integration tests
//   node scripts/run-tests.mjs all          both
// Extra arguments are substrings that select test files, e.g. `... unit transforms`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const [suite = 'all', ...filters] = process.argv.slice(2);
if (!['unit', 'integration', 'all'].includes(suite)) {
  console.error(`unknown suite "${suite}": use unit, integration or all`);
  process.exit(2);
}

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  const found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found.sort();
}

const selected = (files) =>
  filters.length === 0 ? files : files.filter((f) => filters.some((s) => f.includes(s)));
const unit = suite === 'integration' ? [] : selected(testFiles(join(root, 'dist/test/unit')));
const integration = suite === 'unit' ? [] : selected(testFiles(join(root, 'dist/test/integration')));

function run(files, concurrency, label) {
  if (files.length === 0) return 0;
  console.log(`\n== ${label}: ${files.length} file(s)`);
  const result = spawnSync(
    process.execPath,
    [
      '--enable-source-maps',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-reporter=spec',
      ...files.map((f) => relative(root, f)),
    ],
    { cwd: root, stdio: 'inherit', env: { ...process.env, SLUICE_TEST: '1' } },
  );
  return result.status ?? 1;
}

let status = run(unit, 2, 'unit tests');
if (integration.length > 0) {
  const up = spawnSync(process.execPath, [join(root, 'scripts/services.mjs'), 'up'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (up.status !== 0) {
    console.error('services did not come up; integration tests not run (see the message above)');
    process.exit(1);
  }
  status = run(integration, 1, 'integration tests') || status;
}
if (unit.length + integration.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
process.exit(status);
