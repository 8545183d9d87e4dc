import { open, type FileHandle } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * One append handle per file per process, shared by every sink task writing to that file (tasks.max > 1
 * all write to the same file, as in Connect). Appends and fsyncs to one file run one at a time, and each
 * append is a whole batch of whole lines, so lines from different tasks never interleave. The handle is
 * opened with O_APPEND, so writers in other processes append after our lines rather than over them.
 */
class SharedAppendTarget {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly handle: FileHandle) {}

  append(data: Buffer): Promise<void> {
    return this.serialized(() => this.handle.appendFile(data));
  }

  sync(): Promise<void> {
    return this.serialized(() => this.handle.sync());
  }

  close(): Promise<void> {
    return this.serialized(() => this.handle.close());
  }

  private serialized<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

interface OpenFile {
  readonly target: Promise<SharedAppendTarget>;
  /** Counted when a lease is requested, not when the open completes, so a release cannot close a handle a pending acquire is about to use. */
  leases: number;
}

const openFiles = new Map<string, OpenFile>();

/** A task's use of a shared append handle; the handle closes when its last lease is released. */
export class AppendFileLease {
  private released = false;

  private constructor(
    private readonly key: string,
    private readonly openFile: OpenFile,
    private readonly target: SharedAppendTarget,
  ) {}

  /** Opens (creating when missing) or joins the shared handle for `path`. */
  static async acquire(path: string): Promise<AppendFileLease> {
    const key = resolve(path);
    let openFile = openFiles.get(key);
    if (openFile === undefined) {
      openFile = { target: open(key, 'a').then((handle) => new SharedAppendTarget(handle)), leases: 0 };
      openFiles.set(key, openFile);
    }
    openFile.leases += 1;
    try {
      return new AppendFileLease(key, openFile, await openFile.target);
    } catch (error) {
      openFile.leases -= 1;
      if (openFiles.get(key) === openFile) openFiles.delete(key);
      throw error;
    }
  }

  /** Appends `text` in one piece, after every append already queued for this file. */
  append(text: string): Promise<void> {
    return this.target.append(Buffer.from(text, 'utf8'));
  }

  /** Resolves once everything appended so far, by any lease of this file, is on disk. */
  sync(): Promise<void> {
    return this.target.sync();
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
