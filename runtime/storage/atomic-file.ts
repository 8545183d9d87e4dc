import { chmod, mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Read and write for the worker's user only: the connectors file holds connector configs (literal
 * passwords among them, unless placeholders are used) and offsets can reveal data, as Connect's
 * internal topics are protected by ACLs.
 */
const OWNER_ONLY = 0o600;

/**
 * Replaces a file's content atomically and durably: a crash leaves either the old or the new file.
 * The new file is readable by the owner only, whatever mode the old one had.
 */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const handle = await open(tmp, 'w', OWNER_ONLY);
  try {
    // A temp file left by a crashed process with the same pid keeps its old mode: set it explicitly.
    await handle.chmod(OWNER_ONLY);
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

/** The file's content, or null when it does not exist. */
export async function readFileIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Makes an existing file (e.g. written 0644 by an older version) readable by its owner only; absent files are fine. */
export async function restrictToOwner(path: string): Promise<void> {
  try {
    await chmod(path, OWNER_ONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
