import { open, stat, truncate, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  connectError,
  type SinkOffsetChange,
  type TopicPartition,
  type TopicPartitionOffset,
} from '../../runtime/api/index.js';
import {
  readCommittedState,
  statePathOf,
  writeCommittedState,
  type FilePositions,
} from './committed-file-state.js';
import { WriterLock } from './writer-lock.js';

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

/**
 * One append handle per file per process, shared by every sink task writing to that file (tasks.max > 1
 * all write to the same file, as in Connect). Appends and fsyncs to one file run one at a time, and each
 * append is a whole batch of whole lines, so lines from different tasks never interleave. The handle is
 * opened with O_APPEND, so writers in other processes append after our lines rather than over them.
 *
 * Exactly-once: the target also tracks the file's length and, per connector, the next offset of each
 * partition whose lines it holds. `commit()` fsyncs and then records both in a state file; opening the
 * file cuts it back to the recorded length, so it holds exactly the records below the recorded offsets.
 */
class SharedAppendTarget {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly handle: FileHandle,
    private readonly statePath: string | null,
    private readonly lock: WriterLock | null,
    private length: number,
    private readonly positions: FilePositions,
  ) {}

  get exactlyOnce(): boolean {
    return this.statePath !== null;
  }

  static async open(path: string, exactlyOnce: boolean): Promise<SharedAppendTarget> {
    if (!exactlyOnce) return new SharedAppendTarget(await open(path, 'a'), null, null, 0, new Map());
    const lock = await WriterLock.acquire(`${path}.sluice-lock`, path);
    try {
      const statePath = statePathOf(path);
      const state = await readCommittedState(statePath);
      const size = await sizeOf(path);
      let length = size;
      let positions: FilePositions = new Map();
      if (state === null) {
        // Recorded now, so a crash before the first commit cuts back to what the file held before us.
        await writeCommittedState(statePath, { length, positions });
      } else {
        if (size < state.length)
          throw connectError(
            `${path} holds ${size} bytes but ${statePath} says ${state.length} were committed: the file was changed by something else. Delete ${statePath} to start over (the sink then appends from the consumer group's offsets).`,
          );
        // Lines past the committed length were never covered by committed offsets: they come again.
        if (size > state.length) await truncate(path, state.length);
        length = state.length;
        positions = state.positions;
      }
      return new SharedAppendTarget(await open(path, 'a'), statePath, lock, length, positions);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  append(data: Buffer, connector: string, ends: readonly TopicPartitionOffset[]): Promise<void> {
    return this.serialized(async () => {
      try {
        await this.handle.appendFile(data);
      } catch (error) {
        // A partial append would leave half a line the length does not count: cut it off again.
        await this.handle.truncate(this.length).catch(() => undefined);
        throw error;
      }
      this.length += data.length;
      if (!this.exactlyOnce) return;
      let own = this.positions.get(connector);
      if (own === undefined) this.positions.set(connector, (own = new Map()));
      for (const end of ends) own.set(`${end.topic}-${end.partition}`, end);
    });
  }

  /** The next offset of `tp` whose line the file holds (appended, not necessarily committed yet). */
  position(connector: string, tp: TopicPartition): number | undefined {
    return this.positions.get(connector)?.get(`${tp.topic}-${tp.partition}`)?.offset;
  }

  /** fsyncs; with exactly-once then records the length and positions that are now durable. */
  commit(): Promise<void> {
    return this.serialized(async () => {
      await this.handle.sync();
      if (this.statePath !== null)
        await writeCommittedState(this.statePath, { length: this.length, positions: this.positions });
    });
  }

  /** Moves (or forgets, offset null) a connector's positions, then commits like commit(). */
  alter(connector: string, changes: readonly SinkOffsetChange[]): Promise<void> {
    return this.serialized(async () => {
      applyChanges(this.positions, connector, changes);
      await this.handle.sync();
      if (this.statePath !== null)
        await writeCommittedState(this.statePath, { length: this.length, positions: this.positions });
    });
  }

  close(): Promise<void> {
    return this.serialized(async () => {
      await this.handle.close();
      await this.lock?.release();
    });
  }

  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

function applyChanges(
  positions: FilePositions,
  connector: string,
  changes: readonly SinkOffsetChange[],
): void {
  let own = positions.get(connector);
  if (own === undefined) positions.set(connector, (own = new Map()));
  for (const { topic, partition, offset } of changes) {
    if (offset === null) own.delete(`${topic}-${partition}`);
    else own.set(`${topic}-${partition}`, { topic, partition, offset });
  }
  if (own.size === 0) positions.delete(connector);
}

interface OpenFile {
  readonly target: Promise<SharedAppendTarget>;
  /** Counted when a lease is requested, not when the open completes, so a release cannot close a handle a pending acquire is about to use. */
  leases: number;
}

const openFiles = new Map<string, OpenFile>();

export interface LeaseOptions {
  /** Keep a committed state and cut the file back to it when it is first opened in this process. */
  readonly exactlyOnce: boolean;
  /** Whose positions this lease reads and records. */
  readonly connector: string;
}

/** A task's use of a shared append handle; the handle closes when its last lease is released. */
export class AppendFileLease {
  private released = false;

  private constructor(
    private readonly key: string,
    private readonly openFile: OpenFile,
    private readonly target: SharedAppendTarget,
    private readonly connector: string,
  ) {}

  /** Opens (creating when missing) or joins the shared handle for `path`. */
  static async acquire(path: string, options: LeaseOptions): Promise<AppendFileLease> {
    const key = resolve(path);
    let openFile = openFiles.get(key);
    if (openFile === undefined) {
      openFile = { target: SharedAppendTarget.open(key, options.exactlyOnce), leases: 0 };
      openFiles.set(key, openFile);
    }
    openFile.leases += 1;
    let target: SharedAppendTarget;
    try {
      target = await openFile.target;
    } catch (error) {
      openFile.leases -= 1;
      if (openFiles.get(key) === openFile) openFiles.delete(key);
      throw error;
    }
    const lease = new AppendFileLease(key, openFile, target, options.connector);
    if (options.exactlyOnce && !target.exactlyOnce) {
      await lease.release();
      throw connectError(
        `${path} is already written by a FileStreamSink with delivery.guarantee=at_least_once in this worker; exactly-once needs every writer of the file to use exactly_once`,
      );
    }
    return lease;
  }

  get exactlyOnce(): boolean {
    return this.target.exactlyOnce;
  }

  /** Appends `text` in one piece, after every append already queued for this file; `ends` are its records' next offsets. */
  append(text: string, ends: readonly TopicPartitionOffset[]): Promise<void> {
    return this.target.append(Buffer.from(text, 'utf8'), this.connector, ends);
  }

  /** The next offset of `tp` the file holds a line for (exactly-once only). */
  position(tp: TopicPartition): number | undefined {
    return this.target.position(this.connector, tp);
  }

  /** Resolves once everything appended so far, by any lease of this file, is on disk (and, exactly-once, recorded). */
  sync(): Promise<void> {
    return this.target.commit();
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.openFile.leases -= 1;
    if (this.openFile.leases > 0) return;
    if (openFiles.get(this.key) === this.openFile) openFiles.delete(this.key);
    await this.target.close();
  }
}

/**
 * The offsets API for an exactly-once file: moves a (stopped) connector's recorded positions, so its tasks
 * resume where the request says. Through the shared target when this process has the file open (another
 * connector writing it), otherwise in the state file under the writer lock.
 */
export async function alterFilePositions(
  path: string,
  connector: string,
  changes: readonly SinkOffsetChange[],
): Promise<void> {
  const key = resolve(path);
  const openFile = openFiles.get(key);
  if (openFile !== undefined) {
    await (await openFile.target).alter(connector, changes);
    return;
  }
  const statePath = statePathOf(key);
  const lock = await WriterLock.acquire(`${key}.sluice-lock`, key);
  try {
    const state = await readCommittedState(statePath);
    if (state === null) return;
    applyChanges(state.positions, connector, changes);
    await writeCommittedState(statePath, state);
  } finally {
    await lock.release();
  }
}
