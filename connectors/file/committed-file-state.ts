import { open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { connectError, type TopicPartitionOffset } from '../../runtime/api/index.js';

/** The next offset to consume of each partition, per connector writing the file. */
export type FilePositions = Map<string, Map<string, TopicPartitionOffset>>;

/**
 * What a file sink made durable: the file's first `length` bytes hold exactly the records below
 * `positions`. Written after each fsync of the file; on start the file is cut back to `length`.
 */
export interface CommittedFileState {
  readonly length: number;
  readonly positions: FilePositions;
}

interface StoredState {
  readonly version: 1;
  readonly length: number;
  readonly positions: Record<string, TopicPartitionOffset[]>;
}

export function statePathOf(file: string): string {
  return `${file}.sluice-state`;
}

export async function readCommittedState(path: string): Promise<CommittedFileState | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let stored: StoredState;
  try {
    stored = JSON.parse(text) as StoredState;
    if (stored.version !== 1 || typeof stored.length !== 'number') throw new Error('not a version 1 state');
  } catch (error) {
    throw connectError(
      `${path} is not a FileStreamSink state file (${String(error)}); delete it to start over`,
      error,
    );
  }
  const positions: FilePositions = new Map();
  for (const [connector, ends] of Object.entries(stored.positions ?? {}))
    positions.set(connector, new Map(ends.map((e) => [`${e.topic}-${e.partition}`, e] as const)));
  return { length: stored.length, positions };
}

/** Replaces the state file atomically and durably (temp file, fsync, rename, fsync of the directory). */
export async function writeCommittedState(path: string, state: CommittedFileState): Promise<void> {
  const stored: StoredState = {
    version: 1,
    length: state.length,
    positions: Object.fromEntries(
      [...state.positions].map(([connector, ends]) => [connector, [...ends.values()]]),
    ),
  };
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(JSON.stringify(stored));
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  const dir = await open(dirname(path), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
