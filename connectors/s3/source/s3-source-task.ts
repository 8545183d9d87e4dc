import {
  InterruptibleSleep,
  SluiceError,
  type ConnectorConfig,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../../runtime/api/index.js';
import type { StoredRecord } from '../format/record-format.js';
import { parseObjectKey, topicPrefix } from '../layout/object-key.js';
import { ObjectStore } from '../storage/object-store.js';
import { S3RetryBudget } from '../storage/s3-retry-budget.js';
import { s3SourceSettings, type S3SourceSettings } from './source-config.js';
import { restoredRecord } from './source-records.js';
import { SourcePartition, type PartitionObject, type ReadPosition } from './source-partition.js';
import { taskFor } from './task-assignment.js';

/** poll() returns within about this long, so the worker can commit offsets and notice stop(). */
const POLL_BUDGET_MS = 1_000;

/** The object being read: decoded whole (one object per task in memory), emitted from `index` on. */
interface Cursor {
  readonly partition: SourcePartition;
  readonly object: PartitionObject;
  readonly records: readonly StoredRecord[];
  index: number;
}

/**
 * Reads the objects of its share of (topic, Kafka partition) groups, each group in start-offset order, and
 * emits their records. The source offset of a record is `{key, index}`: its object and the number of that
 * object's records emitted up to and including it, so a restart resumes right after the last committed record.
 */
export class S3SourceTask implements SourceTask {
  private settings: S3SourceSettings | null = null;
  private context: SourceTaskContext | null = null;
  private store: ObjectStore | null = null;
  private budget: S3RetryBudget | null = null;
  private readonly partitions = new Map<string, SourcePartition>();
  private readonly order: SourcePartition[] = [];
  private turn = 0;
  private cursor: Cursor | null = null;
  private lastListed: number | null = null;
  private readonly sleep = new InterruptibleSleep();
  private stopped = false;

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    this.settings = await s3SourceSettings(config);
    this.context = context;
    this.store = new ObjectStore(this.settings.store);
    this.budget = new S3RetryBudget(this.store.describe(), this.settings.retryTimeoutMs);
    context.logger.info(
      `S3 source reading ${this.settings.topics.join(', ')} from ${this.store.describe()} (task ${this.settings.taskIndex + 1} of ${this.settings.taskCount})`,
    );
  }

  async poll(): Promise<readonly SourceRecord[] | null> {
    const settings = this.settings!;
    const deadline = Date.now() + POLL_BUDGET_MS;
    const out: SourceRecord[] = [];
    try {
      while (out.length < settings.batchMaxRecords && !this.stopped && Date.now() < deadline) {
        if (this.cursor === null && !(await this.openNext())) {
          if (out.length > 0) break;
          const wait = this.lastListed === null ? 0 : this.lastListed + settings.pollIntervalMs - Date.now();
          if (wait > 0) {
            await this.sleep.sleep(Math.min(wait, deadline - Date.now()));
            break;
          }
          await this.list();
          continue;
        }
        if (this.cursor !== null) this.emit(this.cursor, out, settings.batchMaxRecords - out.length);
      }
      this.budget!.succeeded();
      return out;
    } catch (error) {
      // Records taken from the cursor already moved the position: hand them over; the failure comes back next poll.
      // A request cut short by stop() (the client is closed) is no failure.
      if (out.length > 0 || this.stopped) return out;
      throw this.budget!.errorFor(error, 'the read will be retried');
    }
  }

  stop(): void {
    this.stopped = true;
    this.sleep.interrupt();
    this.store?.close();
  }

  /**
   * Lists each topic's objects and queues those of this task's groups that are not read yet. Nothing is queued
   * unless the whole listing succeeded: a partial one could queue a later object of a group without an earlier
   * one in a directory not listed yet.
   */
  private async list(): Promise<void> {
    const { layout, format, topics, taskCount, taskIndex } = this.settings!;
    const found: { topic: string; object: PartitionObject }[] = [];
    for (const topic of topics) {
      for await (const listed of this.store!.list(topicPrefix(layout, topic))) {
        const parts = parseObjectKey(layout, listed.key, format.extension);
        if (parts === null || parts.topic !== topic) continue;
        if (taskFor(topic, parts.kafkaPartition, taskCount) !== taskIndex) continue;
        found.push({ topic, object: { key: listed.key, parts } });
      }
    }
    this.lastListed = Date.now();
    for (const { topic, object } of found)
      (await this.partitionOf(topic, object.parts.kafkaPartition)).offer(object);
    for (const partition of this.order) partition.settle();
  }

  /** The group, created with its committed position the first time one of its objects is listed. */
  private async partitionOf(topic: string, kafkaPartition: number): Promise<SourcePartition> {
    const id = `${topic}\u0000${kafkaPartition}`;
    let partition = this.partitions.get(id);
    if (partition === undefined) {
      const committed = await this.context!.offsetStorageReader.offset({ topic, partition: kafkaPartition });
      partition = new SourcePartition(topic, kafkaPartition, this.positionOf(committed));
      this.partitions.set(id, partition);
      this.order.push(partition);
    }
    return partition;
  }

  private positionOf(committed: Readonly<Record<string, unknown>> | null): ReadPosition | null {
    if (committed === null) return null;
    const key = committed['key'];
    const index = committed['index'];
    const { layout, format } = this.settings!;
    const parts = typeof key === 'string' ? parseObjectKey(layout, key, format.extension) : null;
    if (parts === null || typeof index !== 'number') {
      this.context!.logger.warn(
        `ignoring committed offset ${JSON.stringify(committed)}: not an object of this layout and format; reading the partition from its first object`,
      );
      return null;
    }
    return { key: key as string, startOffset: parts.startOffset, index };
  }

  /** Fetches and decodes the next object of the next group with one (round robin); false when none is queued. */
  private async openNext(): Promise<boolean> {
    for (let i = 0; i < this.order.length; i++) {
      const partition = this.order[(this.turn + i) % this.order.length]!;
      const next = partition.peek();
      if (next === null) continue;
      this.turn = (this.turn + i + 1) % this.order.length;
      const bytes = await this.store!.get(next.object.key);
      let records: StoredRecord[];
      try {
        records = [];
        for await (const record of this.settings!.format.read(bytes)) records.push(record);
      } catch (error) {
        partition.take(next.object);
        this.unreadable(next.object.key, error);
        return true;
      }
      partition.take(next.object);
      this.cursor = { partition, object: next.object, records, index: next.skip };
      return true;
    }
    return false;
  }

  private unreadable(key: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    if (!this.settings!.skipUnreadable)
      throw new SluiceError('S3_OBJECT_UNREADABLE', [key, reason], { cause: error });
    this.context!.logger.warn(`skipping object ${key} (errors.tolerance=all): it cannot be read: ${reason}`);
  }

  /** Moves up to `room` records of the cursor's object (those inside the time window) into `out`. */
  private emit(cursor: Cursor, out: SourceRecord[], room: number): void {
    const { renamer, restorePartitions, window } = this.settings!;
    const { partition, object, records } = cursor;
    const topic = renamer.targetOf(partition.topic);
    let emitted = 0;
    while (cursor.index < records.length && emitted < room) {
      const stored = records[cursor.index++]!;
      if (!window.includes(stored.timestamp)) continue;
      emitted++;
      out.push(
        restoredRecord(stored, {
          sourcePartition: partition.sourcePartition,
          sourceOffset: { key: object.key, index: cursor.index },
          topic,
          kafkaPartition: restorePartitions ? partition.partition : null,
        }),
      );
    }
    const complete = cursor.index >= records.length;
    partition.advance(object, cursor.index, complete);
    if (complete) this.cursor = null;
  }
}
