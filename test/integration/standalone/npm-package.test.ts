// The package as a user installs it: `npm pack`, installed globally into a temporary prefix, then
// `sluice --version` run from another directory; and a plugin project that imports `sluice/plugin`
// type-checks against the package's declarations and loads it at run time.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { makeTempDir, removeTempDir } from '../../support/worker-process.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  version: string;
  exports: Record<string, { types?: string; default?: string } | string>;
};
const dirs: string[] = [];
after(async () => {
  for (const dir of dirs) await removeTempDir(dir);
});

test(
  'npm pack installs globally into a prefix; sluice --version and sluice/plugin work from elsewhere',
  { timeout: 600_000 },
  async (t) => {
    const types = pkg.exports['./plugin'];
    assert.ok(
      typeof types === 'object' && types.types !== undefined,
      'the exports map names types for sluice/plugin',
    );
    assert.ok(
      existsSync(join(root, types.types)),
      `${types.types} exists (npm run build emits the plugin API's declarations)`,
    );
    const work = await makeTempDir('npm-package');
    dirs.push(work);
    // The test run built dist/ already; prepack would build it again under the other tests' feet.
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], { cwd: root });
    const tarball = (await readdir(work)).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball !== undefined, 'npm pack wrote a tarball');

    const prefix = join(work, 'prefix');
    const install = (mode: string) =>
      run(
        'npm',
        ['install', '-g', '--prefix', prefix, join(work, tarball), mode, '--no-audit', '--no-fund'],
        {
          cwd: work,
          maxBuffer: 16 << 20,
        },
      );
    try {
      await install('--offline');
      t.diagnostic('installed offline from the npm cache');
    } catch (error) {
      // Dependencies not in the npm cache yet: the registry supplies them (the next run is offline).
      if (!/ENOTCACHED/.test(String((error as { stderr?: string }).stderr ?? error))) throw error;
      t.diagnostic('the npm cache lacked dependencies: installed with the registry');
      await install('--prefer-offline');
    }

    const elsewhere = join(work, 'elsewhere');
    await mkdir(elsewhere);
    const version = await run(join(prefix, 'bin', 'sluice'), ['--version'], { cwd: elsewhere });
    assert.equal(version.stdout.trim(), pkg.version);

    // A plugin project: its own directory, `sluice` in its node_modules as the installed package.
    const plugin = join(work, 'plugin');
    await mkdir(join(plugin, 'node_modules'), { recursive: true });
    await symlink(join(prefix, 'lib', 'node_modules', 'sluice'), join(plugin, 'node_modules', 'sluice'));
    await writeFile(join(plugin, 'package.json'), JSON.stringify({ name: 'my-plugin', type: 'module' }));
    await writeFile(
      join(plugin, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          typeRoots: [join(root, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['plugin.ts'],
      }),
    );
    await writeFile(
      join(plugin, 'plugin.ts'),
      [
        "import { taskMetricsOf, type SourceTask, type SourceTaskContext } from 'sluice/plugin';",
        'export class CountingTask implements SourceTask {',
        '  private polls = 0;',
        '  start(_config: Record<string, string>, context: SourceTaskContext): void {',
        "    taskMetricsOf(context).register({ name: 'my_plugin_polls', help: 'Polls.', type: 'gauge', labelNames: [] }, () => [",
        '      { labels: {}, value: this.polls },',
        '    ]);',
        '  }',
        '  async poll() {',
        '    this.polls++;',
        '    return null;',
        '  }',
        '  stop(): void {}',
        '}',
        '',
      ].join('\n'),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const checked = await run(process.execPath, [tsc, '-p', plugin], { cwd: plugin }).catch(
      (error: { stdout?: string }) => {
        throw new Error(
          `the plugin does not type-check against sluice/plugin:\n${error.stdout ?? String(error)}`,
        );
      },
    );
    assert.equal(checked.stdout.trim(), '');
    const loaded = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const api = await import('sluice/plugin'); console.log(typeof api.taskMetricsOf)",
      ],
      { cwd: plugin },
    );
    assert.equal(loaded.stdout.trim(), 'function');
  },
);
