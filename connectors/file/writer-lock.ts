import { open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { connectError } from '../../runtime/api/index.js';

interface Holder {
  readonly pid: number;
  readonly host: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function holderOf(path: string): Promise<Holder | null> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<Holder>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string'
      ? { pid: parsed.pid, host: parsed.host }
      : null;
  } catch {
    return null;
  }
}

/**
 * Marks a file as written by this process, so a second process never truncates lines the first appended.
 * A lock left by a process that died (kill -9) on this host is taken over; one held by a live process, or
 * by another host (which cannot be checked), is refused naming the holder.
 */
export class WriterLock {
  private constructor(private readonly path: string) {}

  static async acquire(path: string, file: string): Promise<WriterLock> {
    const me: Holder = { pid: process.pid, host: hostname() };
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(path, 'wx');
        try {
          await handle.writeFile(JSON.stringify(me));
        } finally {
          await handle.close();
        }
        return new WriterLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await holderOf(path);
      const stale =
        holder === null || (holder.host === me.host && (holder.pid === me.pid || !isAlive(holder.pid)));
      if (!stale || attempt > 0)
        throw connectError(
          `${file} is being written by another process (${holder === null ? 'unknown' : `pid ${holder.pid} on ${holder.host}`}, lock file ${path}). ` +
            'FileStreamSink with delivery.guarantee=exactly_once truncates the file to its last committed length on start, ' +
            'so every writer of the file must run in one worker process: give each connector its own file, or set ' +
            'delivery.guarantee=at_least_once on every connector writing it. If that process is gone, delete the lock file.',
        );
      await unlink(path).catch(() => undefined);
    }
  }

  async release(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}
