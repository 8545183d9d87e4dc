#!/usr/bin/env node
// Entry point: runs the compiled CLI (npm ci / npm run build produce dist/).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('sluice: dist/ is missing; run `npm run build` first\n');
  process.exit(1);
}
await import(cli.href);
