#!/usr/bin/env node
// Builds the web console (console/) into static files under dist/ui/, which the worker serves at /ui/.
// Everything is bundled (no CDN), so the console works where the worker cannot reach the internet.
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = `${root}dist/ui`;

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: { console: 'console/src/main.ts' },
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  minify: true,
  sourcemap: true,
  outdir: out,
  logLevel: 'warning',
});
await build({
  absWorkingDir: root,
  entryPoints: { console: 'console/src/console.css' },
  bundle: true,
  minify: true,
  outdir: out,
  logLevel: 'warning',
});
await copyFile(`${root}console/index.html`, `${out}/index.html`);
