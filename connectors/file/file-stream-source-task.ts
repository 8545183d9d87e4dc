import { open, type FileHandle } from 'node:fs/promises';
import {
  connectError,
  Schemas,
  sourceRecord,
  type ConnectorConfig,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
  InterruptibleSleep,
} from '../../runtime/api/index.js';
import { LineBuffer, type Line } from './line-buffer.js';
import { committedPosition, fileOffset, filePartition } from './source-offsets.js';
import { fileStreamSourceSettings, type FileStreamSourceSettings } from './source-config.js';

/** A poll with nothing to send returns after this long, so the worker can commit offsets and notice stop(). */
const MAX_POLL_WAIT_MS = 1000;
/** How often a poll re-reads the file while waiting for it to grow. */
const GROWTH_CHECK_INTERVAL_MS = 100;
const READ_CHUNK_BYTES = 64 * 1024;

/** Tails one file and publishes each complete line as a string record (Connect's FileStreamSourceTask). */
export class FileStreamSourceTask implements SourceTask {
  private settings: FileStreamSourceSettings | null = null;
  private context: SourceTaskContext | null = null;
  private handle: FileHandle | null = null;
  private lines: LineBuffer | null = null;
  private stopped = false;
  private warnedMissingFile = false;
  private pendingPoll: Promise<unknown> | null = null;
  private readonly sleeper = new InterruptibleSleep();
  private readonly readBuffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);

  start(config: ConnectorConfig, context: SourceTaskContext): void {
    this.settings = fileStreamSourceSettings(config);
    this.context = context;
    this.stopped = false;
  }

  poll(): Promise<readonly SourceRecord[] | null> {
    const poll = this.pollUntilDataOrTimeout();
    this.pendingPoll = poll.catch(() => undefined);
    return poll;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.interrupt();
    await this.pendingPoll;
    await this.handle?.close();
    this.handle = null;
    this.lines = null;
  }

  private async pollUntilDataOrTimeout(): Promise<readonly SourceRecord[] | null> {
    const deadline = Date.now() + MAX_POLL_WAIT_MS;
    while (!this.stopped) {
      if (await this.openWhenPresent()) {
        const records = await this.readCompleteLines();
        if (records.length > 0) return records;
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.stopped) return null;
      await this.sleeper.sleep(Math.min(GROWTH_CHECK_INTERVAL_MS, left));
    }
    return null;
  }

  /** Opens the file on first sight and positions after the last committed line; false while it does not exist. */
  private async openWhenPresent(): Promise<boolean> {
    if (this.handle !== null) return true;
    const { file } = this.required().settings;
    const { context } = this.required();
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw connectError(`Cannot open ${file} for reading`, error);
      if (!this.warnedMissingFile)
        context.logger.warn(`Couldn't find file ${file} for FileStreamSource, waiting for it to be created`);
      this.warnedMissingFile = true;
      return false;
    }
    try {
      const position = committedPosition(file, await context.offsetStorageReader.offset(filePartition(file)));
      const { size } = await handle.stat();
      if (position > size)
        context.logger.warn(
          `File ${file} is shorter (${size} bytes) than the committed position ${position}; waiting for it to grow past it`,
        );
      context.logger.debug(`Opened ${file} for reading at byte ${position}`);
      this.lines = new LineBuffer(position);
      this.handle = handle;
      return true;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Lines already buffered first, then whatever the file has grown by, up to batch.size records. */
  private async readCompleteLines(): Promise<SourceRecord[]> {
    const { handle, lines } = this;
    const { batchSize } = this.required().settings;
    const records: SourceRecord[] = [];
    if (handle === null || lines === null) return records;
    while (!this.stopped) {
      for (let line = lines.next(); line !== null; line = lines.next()) {
        records.push(this.toRecord(line));
        if (records.length >= batchSize) return records;
      }
      const bytesRead = await this.readAt(handle, lines.readPosition);
      if (bytesRead === 0) break;
      lines.append(this.readBuffer.subarray(0, bytesRead));
    }
    return records;
  }

  private async readAt(handle: FileHandle, position: number): Promise<number> {
    try {
      return (await handle.read(this.readBuffer, 0, this.readBuffer.length, position)).bytesRead;
    } catch (error) {
      throw connectError(`Reading ${this.required().settings.file} at byte ${position} failed`, error);
    }
  }

  private toRecord(line: Line): SourceRecord {
    const { file, topic } = this.required().settings;
    return sourceRecord({
      sourcePartition: filePartition(file),
      sourceOffset: fileOffset(line.endPosition),
      topic,
      valueSchema: Schemas.STRING,
      value: line.text,
      timestamp: Date.now(),
    });
  }

  private required(): { settings: FileStreamSourceSettings; context: SourceTaskContext } {
    if (this.settings === null || this.context === null)
      throw connectError('FileStreamSource task polled before start');
    return { settings: this.settings, context: this.context };
  }
}
