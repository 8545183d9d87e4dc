import {
  connectError,
  consumedEnds,
  retriableError,
  SluiceError,
  type ConnectorConfig,
  type SinkRecord,
  type SinkTask,
  type SinkTaskContext,
  type TopicPartition,
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
type LineOutput = Pick<AppendFileLease, 'exactlyOnce' | 'position' | 'append' | 'sync' | 'release'>;

/** Connect's fallback when no file is configured: System.out (at least once: nothing to cut back). */
const standardOutput: LineOutput = {
  exactlyOnce: false,
  position: () => undefined,
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
 *
 * With delivery.guarantee=exactly_once (the default) flush also records the file's length and the next
 * offset of each partition (see shared-append-file.ts); open() resumes each partition there and put() skips
 * records the file already holds, so after a crash the file holds every record exactly once.
 */
export class FileStreamSinkTask implements SinkTask {
  private file = '';
  private lease: LineOutput | null = null;
  private context: SinkTaskContext | null = null;

  async start(config: ConnectorConfig, context: SinkTaskContext): Promise<void> {
    const settings = fileStreamSinkSettings(config);
    this.context = context;
    if (settings.file === null) {
      this.file = 'standard output';
      this.lease = standardOutput;
      context.logger.debug('Writing to standard output');
      return;
    }
    this.file = settings.file;
    try {
      this.lease = await AppendFileLease.acquire(this.file, {
        exactlyOnce: settings.deliveryGuarantee === 'exactly_once',
        connector: context.connectorName,
      });
    } catch (error) {
      if (error instanceof SluiceError) throw error;
      throw connectError(`Couldn't find or create file '${this.file}' for FileStreamSink`, error);
    }
    context.logger.debug(`Appending to ${this.file} (delivery.guarantee=${settings.deliveryGuarantee})`);
  }

  /** Exactly-once: each partition resumes after its last line in the file. */
  open(partitions: readonly TopicPartition[]): void {
    const lease = this.openLease();
    if (!lease.exactlyOnce) return;
    for (const tp of partitions) {
      const next = lease.position(tp);
      if (next !== undefined) this.context!.offset(tp, next);
    }
  }

  async put(records: readonly SinkRecord[]): Promise<void> {
    const lease = this.openLease();
    // Records whose lines the file already holds (redelivered after a rewind or a rebalance) are skipped.
    const fresh = lease.exactlyOnce
      ? records.filter(
          (r) =>
            r.originalKafkaOffset >=
            (lease.position({ topic: r.originalTopic, partition: r.originalKafkaPartition }) ?? 0),
        )
      : records;
    if (fresh.length === 0) return;
    const text = fresh.map((record) => `${valueToLine(record.value)}\n`).join('');
    try {
      await lease.append(text, consumedEnds(fresh));
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
