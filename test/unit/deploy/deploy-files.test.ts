// The deploy recipes cannot be run here (no container daemon, no systemd as PID 1); this checks what
// can be: the unit's syntax, and that the Containerfile and the package agree with each other.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../support/sluice-process.js';

const root = repoRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
  files: string[];
  exports: Record<string, string | { types?: string; default?: string }>;
};

describe('deploy/', () => {
  test('the systemd unit passes systemd-analyze verify (but for the binary not installed here)', (t) => {
    const which = spawnSync('systemd-analyze', ['--version']);
    if (which.status !== 0) return t.skip('systemd-analyze is not installed');
    const copy = join(mkdtempSync(join(tmpdir(), 'sluice-unit-')), 'sluice.service');
    copyFileSync(join(root, 'deploy/sluice.service'), copy);
    const result = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
    const problems = `${result.stdout}${result.stderr}`
      .split('\n')
      .filter((l) => l.trim() !== '' && !/\/usr\/local\/bin\/sluice is not executable/.test(l));
    assert.deepEqual(problems, []);
  });

  test('the Containerfile runs scripts and files the package has, as a non-root user with a health check', () => {
    const recipe = readFileSync(join(root, 'deploy/Containerfile'), 'utf8');
    for (const [, script] of recipe.matchAll(/npm run (\S+)/g))
      assert.ok(pkg.scripts[script!], `npm run ${script}`);
    for (const [, files] of recipe.matchAll(/^COPY (?!--from)(.+) \S+$/gm))
      for (const f of files!.split(' ').filter((x) => x !== '.')) assert.ok(existsSync(join(root, f)), f);
    assert.match(recipe, new RegExp(`ENTRYPOINT \\["${Object.keys(pkg.bin)[0]}"\\]`));
    assert.equal([...recipe.matchAll(/^FROM /gm)].length, 2, 'multi-stage');
    assert.match(recipe, /^USER node$/m);
    assert.match(recipe, /HEALTHCHECK[\s\S]*\/health/);
  });
});

describe('the npm package', () => {
  test('builds on pack (not on install, which made npx slow) and ships the CLI without the tests', () => {
    assert.equal(pkg.scripts['prepare'], undefined);
    assert.match(pkg.scripts['prepack'] ?? '', /build/);
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as { files: { path: string }[] }[];
    const paths = packed[0]!.files.map((f) => f.path);
    for (const needed of [
      'bin/sluice.js',
      'dist/cli/main.js',
      'dist/runtime/api/index.js',
      'deploy/Containerfile',
    ])
      assert.ok(paths.includes(needed), needed);
    assert.equal(
      paths.some((p) => p.startsWith('dist/test/')),
      false,
    );
  });

  test('plugin authors import sluice/plugin: the export points at the plugin API and its declarations', () => {
    assert.deepEqual(pkg.exports['./plugin'], {
      types: './dist/runtime/api/index.d.ts',
      default: './dist/runtime/api/index.js',
    });
    assert.ok(existsSync(join(root, 'runtime/api/index.ts')));
  });
});
