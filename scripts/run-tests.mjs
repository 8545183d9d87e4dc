#!/usr/bin/env node
// Runs the compiled test suite with node's test runner.
//   node scripts/run-tests.mjs unit         unit tests only (no services needed)
//   node scripts/run-tests.mjs integration  brings the services up first, then integration tests
//   node scripts/run-tests.mjs all          both
// Extra arguments are substrings that select test files, e.g. `... unit transforms`.
//
// Integration test files run in two lanes at once, each lane one file at a time. Most of an integration
// test's time is spent waiting (for a broker, a rebalance, a poll interval), so two lanes on two cores
// finish in about 60 % of the serial time. A lane holds whole families (folders) so that files which
// share cluster-wide state never overlap: the mirror tests all run the flow A->B (one MM2 group per flow),
// and the PostgreSQL CDC tests assert on WAL positions that another database's writes would move.
// SLUICE_TEST_LANES=1 runs everything serially.
import { spawn, spawnSync } from 'node:child_process';
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

/**
 * Folders of dist/test/integration, by lane, balanced by their measured time (the mirror family alone is
 * a third of the suite); a folder not named here joins the first lane. Everything that writes to
 * PostgreSQL shares the CDC tests' lane.
 */
const LANE_FOLDERS = [
  ['distributed', 'exactly-once', 'mirror', 'storage', 'security'],
  ['postgres-cdc', 'postgres-sink', 'jobs', 'standalone', 's3', 'cassandra', 'smoke'],
];

function lanesOf(files, count) {
  if (count <= 1) return [files];
  const lanes = LANE_FOLDERS.map(() => []);
  for (const file of files) {
    const folder = relative(join(root, 'dist/test/integration'), file).split(/[\\/]/)[0];
    const lane = LANE_FOLDERS.findIndex((folders) => folders.includes(folder));
    lanes[Math.max(lane, 0)].push(file);
  }
  return lanes.filter((lane) => lane.length > 0);
}

/** One `node --test` per lane, all at once; each output line is prefixed with its lane's letter. */
async function runLanes(lanes) {
  console.log(`\n== integration tests: ${lanes.flat().length} file(s) in ${lanes.length} lane(s)`);
  const statuses = await Promise.all(
    lanes.map(
      (files, index) =>
        new Promise((resolve) => {
          const tag = `[${String.fromCharCode(65 + index)}] `;
          const child = spawn(
            process.execPath,
            [
              '--enable-source-maps',
              '--test',
              '--test-concurrency=1',
              '--test-reporter=spec',
              ...files.map((f) => relative(root, f)),
            ],
            { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SLUICE_TEST: '1' } },
          );
          for (const stream of [child.stdout, child.stderr]) {
            let pending = '';
            stream.setEncoding('utf8');
            stream.on('data', (chunk) => {
              const lines = (pending + chunk).split('\n');
              pending = lines.pop();
              for (const line of lines) process.stdout.write(tag + line + '\n');
            });
            stream.on('end', () => pending && process.stdout.write(tag + pending + '\n'));
          }
          child.on('close', (code) => resolve(code ?? 1));
        }),
    ),
  );
  statuses.forEach((code, index) =>
    console.log(
      `lane ${String.fromCharCode(65 + index)}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`}`,
    ),
  );
  return statuses.find((code) => code !== 0) ?? 0;
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
  const laneCount = Number(process.env.SLUICE_TEST_LANES ?? 2);
  status = (await runLanes(lanesOf(integration, laneCount))) || status;
}
if (unit.length + integration.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
process.exit(status);
