import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageInfo {
  readonly root: string;
  readonly version?: string;
  /** What npm records of the commit a published package was packed from. */
  readonly gitHead?: string;
}

function findPackage(): PackageInfo | null {
  // Sources run from cli/, the build from dist/cli/.
  for (const candidate of ['../package.json', '../../package.json']) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    try {
      const pkg = JSON.parse(readFileSync(path, 'utf8')) as {
        name?: string;
        version?: string;
        gitHead?: string;
      };
      if (pkg.name === 'sluice') {
        return {
          root: dirname(path),
          ...(pkg.version ? { version: pkg.version } : {}),
          ...(pkg.gitHead ? { gitHead: pkg.gitHead } : {}),
        };
      }
    } catch {
      // try the next location
    }
  }
  return null;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** The commit a git checkout (or worktree) at `root` has checked out, read from its files without running git. */
export function gitCommitOf(root: string): string | null {
  const dotGit = join(root, '.git');
  if (!existsSync(dotGit)) return null;
  let gitDir = dotGit;
  if (!statSync(dotGit).isDirectory()) {
    const pointer = /^gitdir:\s*(.+)$/m.exec(readText(dotGit) ?? '');
    if (pointer === null) return null;
    gitDir = resolve(root, pointer[1]!.trim());
  }
  const head = readText(join(gitDir, 'HEAD'));
  if (head === null) return null;
  const ref = /^ref:\s*(.+)$/.exec(head)?.[1]?.trim();
  if (ref === undefined) return /^[0-9a-f]{40,64}$/.test(head) ? head : null;
  // A worktree keeps its HEAD; branches live in the common directory.
  const common = readText(join(gitDir, 'commondir'));
  for (const dir of common === null ? [gitDir] : [gitDir, resolve(gitDir, common)]) {
    const loose = readText(join(dir, ref));
    if (loose !== null && /^[0-9a-f]{40,64}$/.test(loose)) return loose;
    const packed = (readText(join(dir, 'packed-refs')) ?? '')
      .split('\n')
      .find((line) => line.endsWith(` ${ref}`));
    if (packed !== undefined) return packed.slice(0, packed.indexOf(' '));
  }
  return null;
}

/**
 * What GET / reports as `commit`, 16 hex digits like Connect's: the commit npm recorded in a published
 * package's package.json (`gitHead`), else the commit checked out where Sluice runs from, else this fixed id.
 */
export const UNKNOWN_COMMIT = '0000000000000000';

const pkg = findPackage();

export const SLUICE_VERSION = pkg?.version ?? '0.0.0';

export const SLUICE_COMMIT = (
  pkg?.gitHead ??
  (pkg === null ? null : gitCommitOf(pkg.root)) ??
  UNKNOWN_COMMIT
).slice(0, 16);
