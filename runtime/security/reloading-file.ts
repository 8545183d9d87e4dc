import { readFileSync, statSync } from 'node:fs';
import { SluiceError } from '../errors/sluice-error.js';

/** How often a file is looked at for changes: edits take effect within this time, with no restart. */
const CHECK_INTERVAL_MS = 1_000;

/**
 * A file parsed once and parsed again when its modification time or size changes. A file that fails to
 * parse after an edit keeps the last good content (and the error is reported), so a typo does not lock
 * everyone out; at startup a bad file is an error.
 */
export class ReloadingFile<T> {
  private value: T;
  private stamp: string;
  private checkedAt = 0;

  constructor(
    readonly path: string,
    private readonly parse: (text: string, path: string) => T,
    private readonly onReloadError: (error: Error) => void = () => undefined,
  ) {
    this.stamp = this.currentStamp();
    this.value = this.parse(this.read(), path);
    this.checkedAt = Date.now();
  }

  /** The content, re-read first when the file changed since it was last looked at. */
  get current(): T {
    const now = Date.now();
    if (now - this.checkedAt < CHECK_INTERVAL_MS) return this.value;
    this.checkedAt = now;
    try {
      const stamp = this.currentStamp();
      if (stamp !== this.stamp) {
        this.value = this.parse(this.read(), this.path);
        this.stamp = stamp;
      }
    } catch (error) {
      this.onReloadError(error as Error);
    }
    return this.value;
  }

  private currentStamp(): string {
    try {
      const stat = statSync(this.path);
      return `${stat.mtimeMs}:${stat.size}`;
    } catch (error) {
      throw new SluiceError('CONFIG_FILE_NOT_FOUND', [this.path, (error as Error).message]);
    }
  }

  private read(): string {
    try {
      return readFileSync(this.path, 'utf8');
    } catch (error) {
      throw new SluiceError('CONFIG_FILE_NOT_FOUND', [this.path, (error as Error).message]);
    }
  }
}
