import { readFileSync } from 'node:fs';

function readVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'sluice' && pkg.version) return pkg.version;
    } catch {
      // try the next location: sources run from cli/, the build from dist/cli/
    }
  }
  return '0.0.0';
}

export const SLUICE_VERSION = readVersion();
