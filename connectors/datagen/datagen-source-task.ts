import {
  connectError,
  type ConnectorConfig,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
  InterruptibleSleep,
} from '../../runtime/api/index.js';
import { datagenSettings, TASK_INDEX_KEY, type DatagenSettings } from './config.js';
import { firstSeqAfter, taskPartition } from './datagen-offsets.js';
import { RateLimiter } from './rate-limiter.js';
import { DatagenRecordFactory } from './record-factory.js';

/** A poll with nothing to send returns within this, so the worker can commit offsets and notice stop(). */
const MAX_POLL_WAIT_MS = 1000;
/** How long a poll idles once max.records is reached, so the worker loop does not spin. */
const EXHAUSTED_IDLE_MS = 250;

function taskIndexOf(config: ConnectorConfig): number {
  const raw = config[TASK_INDEX_KEY];
  const index = raw === undefined ? NaN : Number(raw);
  if (!Number.isSafeInteger(index) || index < 0) {
    throw connectError(
      `Datagen task config needs '${TASK_INDEX_KEY}' (set by the connector), got ${JSON.stringify(raw ?? null)}`,
    );
  }
  return index;
}

/**
 * Generates this task's sequence: seq 0, 1, 2, ... with id `<task>-<seq>`, continuing after the last
 * committed seq when restarted, up to max.records, at most records.per.second.
 */
export class DatagenSourceTask implements SourceTask {
  private settings: DatagenSettings | null = null;
  private factory: DatagenRecordFactory | null = null;
  private limiter: RateLimiter | null = null;
  private nextSeq = 0;
  private stopped = false;
  private reportedExhausted = false;
  private context: SourceTaskContext | null = null;
  private readonly sleeper = new InterruptibleSleep();

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    const settings = datagenSettings(config);
    const taskIndex = taskIndexOf(config);
    this.nextSeq = firstSeqAfter(
      taskIndex,
      await context.offsetStorageReader.offset(taskPartition(taskIndex)),
    );
    this.settings = settings;
    this.context = context;
    this.factory = new DatagenRecordFactory(settings, taskIndex);
    this.limiter =
      settings.recordsPerSecond === null ? null : new RateLimiter(settings.recordsPerSecond, Date.now());
    this.stopped = false;
    context.logger.info(`Datagen task ${taskIndex} starting at seq ${this.nextSeq}`);
  }

  async poll(): Promise<readonly SourceRecord[] | null> {
    const { settings, factory } = this.started();
    if (this.stopped) return null;
    const remaining = settings.maxRecords === null ? settings.batchSize : settings.maxRecords - this.nextSeq;
    if (remaining <= 0) {
      this.reportExhausted();
      await this.sleeper.sleep(EXHAUSTED_IDLE_MS);
      return null;
    }
    const count = await this.permittedCount(Math.min(settings.batchSize, remaining));
    if (count === 0 || this.stopped) return null;
    const records = new Array<SourceRecord>(count);
    for (let i = 0; i < count; i++) records[i] = factory.create(this.nextSeq + i);
    this.nextSeq += count;
    return records;
  }

  stop(): void {
    this.stopped = true;
    this.sleeper.interrupt();
  }

  /** Up to `wanted`, as the rate limit allows; waits (interruptibly, under a second) for the next permit. */
  private async permittedCount(wanted: number): Promise<number> {
    const limiter = this.limiter;
    if (limiter === null) return wanted;
    const now = Date.now();
    const granted = limiter.take(wanted, now);
    if (granted > 0) return granted;
    await this.sleeper.sleep(Math.min(limiter.msUntilNext(now), MAX_POLL_WAIT_MS));
    return this.stopped ? 0 : limiter.take(wanted, Date.now());
  }

  private reportExhausted(): void {
    if (this.reportedExhausted) return;
    this.reportedExhausted = true;
    this.context?.logger.info(`Datagen reached max.records (${this.settings?.maxRecords}); idling`);
  }

  private started(): { settings: DatagenSettings; factory: DatagenRecordFactory } {
    if (this.settings === null || this.factory === null)
      throw connectError('Datagen task polled before start');
    return { settings: this.settings, factory: this.factory };
  }
}
