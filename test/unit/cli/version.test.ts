import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitCommitOf, SLUICE_COMMIT } from '../../../cli/version.js';

const A = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef';
const B = 'b'.repeat(8) + '0123456789abcdef0123456789abcdef';

describe("GET /'s commit", () => {
  test('is 16 hex digits, like the commit id Connect reports', () => {
    assert.match(SLUICE_COMMIT, /^[0-9a-f]{16}$/);
  });

  test('is read from a checkout, a worktree or packed refs without running git', async () => {
    const root = await mkdtemp(join(tmpdir(), 'sluice-git-'));
    assert.equal(gitCommitOf(root), null, 'no checkout');

    await mkdir(join(root, '.git/refs/heads'), { recursive: true });
    await writeFile(join(root, '.git/HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(root, '.git/refs/heads/main'), `${A}\n`);
    assert.equal(gitCommitOf(root), A);

    await writeFile(join(root, '.git/HEAD'), 'ref: refs/heads/packed\n');
    await writeFile(join(root, '.git/packed-refs'), `# pack-refs with: peeled\n${B} refs/heads/packed\n`);
    assert.equal(gitCommitOf(root), B);

    await writeFile(join(root, '.git/HEAD'), `${A}\n`);
    assert.equal(gitCommitOf(root), A, 'a detached HEAD');

    const worktree = await mkdtemp(join(tmpdir(), 'sluice-worktree-'));
    const gitDir = join(root, '.git/worktrees/wt');
    await mkdir(gitDir, { recursive: true });
    await writeFile(join(worktree, '.git'), `gitdir: ${gitDir}\n`);
    await writeFile(join(gitDir, 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(gitDir, 'commondir'), '../..\n');
    assert.equal(gitCommitOf(worktree), A, "a worktree's branch lives in the common directory");
  });
});
