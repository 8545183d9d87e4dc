import {
  connectError,
  retriableError,
  type ConnectorConfig,
  type SinkRecord,
  type SinkTask,
  type SinkTaskContext,
  type TopicPartitionOffset,
} from '../../runtime/api/index.js';
import { AppendFileLease } from './shared-append-file.js';
import { fileStreamSinkSettings } from './sink-config.js';
import { valueToLine } from './value-to-line.js';

/** Conditions that may clear by themselves; anything else (permissions, bad path) fails the task. */
const TRANSIENT_IO_CODES = new Set(['ENOSPC', 'EAGAIN', 'EBUSY', 'EINTR', 'EMFILE', 'ENFILE']);

function writeFailure(message: string, cause: unknown): Error {
  const code = (cause as NodeJS.ErrnoException).code;
  return code !== undefined && TRANSIENT_IO_CODES.has(code)
    ? retriableError(message, cause)
    : connectError(message, cause);
}

/** Where the task's lines go: a shared append-only file, or the standard output. */
interface LineOutput {
  append(text: string): Promise<void>;
  sync(): Promise<void>;
  release(): Promise<void>;
}

/** Connect's fallback when no file is configured: System.out. */
const standardOutput: LineOutput = {
  append: (text) =>
    new Promise((resolve, reject) =>
      process.stdout.write(text, (error) => (error ? reject(error) : resolve())),
    ),
  sync: async () => undefined,
  release: async () => undefined,
};

/**
 * Appends each record's value as one line (Connect's FileStreamSinkTask). put hands the batch to the OS in
 * one write; flush fsyncs, so offsets the runtime commits after flush never cover data a crash could lose.
 */
export class FileStreamSinkTask implements SinkTask {
  private file = '';
  private lease: LineOutput | null = null;

  async start(config: ConnectorConfig, context: SinkTaskContext): Promise<void> {
    const file = fileStreamSinkSettings(config).file;
    if (file === null) {
      this.file = 'standard output';
      this.lease = standardOutput;
      context.logger.debug('Writing to standard output');
      return;
    }
    this.file = file;
    try {
      this.lease = await AppendFileLease.acquire(this.file);
    } catch (error) {
      throw connectError(`Couldn't find or create file '${this.file}' for FileStreamSink`, error);
    }
    context.logger.debug(`Appending to ${this.file}`);
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    if (records.length === 0) return;
    const text = records.map((record) => `${valueToLine(record.value)}\n`).join('');
    try {
      await this.openLease().append(text);
    } catch (error) {
      throw writeFailure(`Writing ${records.length} record(s) to ${this.file} failed`, error);
    }
  }

  async flush(_currentOffsets: readonly TopicPartitionOffset[]): Promise<void> {
    try {
      await this.openLease().sync();
    } catch (error) {
      throw writeFailure(`Flushing ${this.file} to disk failed`, error);
    }
  }

  async stop(): Promise<void> {
    const lease = this.lease;
    this.lease = null;
    await lease?.release();
  }

  private openLease(): LineOutput {
    if (this.lease === null) throw connectError('FileStreamSink task used before start or after stop');
    return this.lease;
  }
}
