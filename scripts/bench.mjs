#!/usr/bin/env node
// Runs one compiled benchmark: `npm run bench -- <name>` runs dist/test/bench/<name>.js; with no name,
// lists them. Each benchmark prints one JSON line per result on stdout (docs/benchmarks.md).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(root, 'dist/test/bench');
const available = existsSync(benchDir)
  ? readdirSync(benchDir)
      .filter((f) => f.endsWith('.js'))
      .map((f) => f.slice(0, -3))
      .sort()
  : [];

const names = process.argv.slice(2);
if (names.length === 0) {
  console.log(
    `benchmarks (npm run bench -- <name> [<name> ...]):\n${available.map((n) => `  ${n}`).join('\n')}`,
  );
  process.exit(available.length === 0 ? 1 : 0);
}
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
let status = 0;
for (const name of names) {
  const result = spawnSync(process.execPath, ['--enable-source-maps', join(benchDir, `${name}.js`)], {
    cwd: root,
    stdio: 'inherit',
  });
  status ||= result.status ?? 1;
}
process.exit(status);
