import {
  SluiceError,
  InterruptibleSleep,
  retriableError,
  sourceRecord,
  type ConnectorConfig,
  type JsonObject,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../../runtime/api/index.js';
import type { StoredRecord } from '../format/record-format.js';
import { parseObjectKey, topicPrefix } from '../layout/object-key.js';
import { ObjectStore } from '../storage/object-store.js';
import { classifyS3Failure, describeS3Failure } from '../storage/s3-failure.js';
import { groupObjects, ownerTask, type StoredObject } from './object-groups.js';
import { s3SourceSettings, type S3SourceSettings } from './source-config.js';

export const TASK_INDEX_KEY = 's3.source.task.index';
export const TASK_COUNT_KEY = 's3.source.task.count';

/** Where a group stands: the next object to read and the next record in it. */
interface Position {
  startOffset: number;
  index: number;
}

interface Group {
  readonly topic: string;
  readonly kafkaPartition: number;
  objects: StoredObject[];
  /** null until the committed offset was read. */
  position: Position | null;
  /** The object being read, decoded. */
  open: { readonly object: StoredObject; readonly records: StoredRecord[] } | null;
}

const IDLE_WAIT_MS = 1_000;

/**
 * Reads back what the S3 sink wrote: each (topic, partition) this task owns, object after object in
 * start-offset order, one decoded object at a time. The source offset is the object and the index of the next
 * record in it, so a restart resumes exactly after the last record Kafka acknowledged.
 */
export class S3SourceTask implements SourceTask {
  private settings: S3SourceSettings | null = null;
  private context: SourceTaskContext | null = null;
  private store: ObjectStore | null = null;
  private taskIndex = 0;
  private taskCount = 1;
  private readonly groups = new Map<string, Group>();
  private nextListing = 0;
  private failingSince: number | null = null;
  private stopped = false;
  private readonly sleeper = new InterruptibleSleep();

  async start(config: ConnectorConfig, context: SourceTaskContext): Promise<void> {
    this.settings = await s3SourceSettings(config);
    this.context = context;
    this.store = new ObjectStore(this.settings.store);
    this.taskIndex = Number(config[TASK_INDEX_KEY] ?? 0);
    this.taskCount = Math.max(1, Number(config[TASK_COUNT_KEY] ?? 1));
    this.stopped = false;
    context.logger.info(
      `S3 source task ${this.taskIndex} of ${this.taskCount} reading ${this.settings.topics.join(', ')} from ${this.store.describe()}`,
    );
  }

  async poll(): Promise<readonly SourceRecord[] | null> {
    try {
      const records = await this.read();
      this.failingSince = null;
      if (records.length > 0) return records;
      await this.sleeper.sleep(Math.min(IDLE_WAIT_MS, Math.max(0, this.nextListing - Date.now())));
      return null;
    } catch (error) {
      throw this.classify(error);
    }
  }

  stop(): void {
    this.stopped = true;
    this.sleeper.interrupt();
    this.store?.close();
  }

  private async read(): Promise<SourceRecord[]> {
    if (Date.now() >= this.nextListing) {
      await this.list();
      this.nextListing = Date.now() + this.settings!.pollIntervalMs;
    }
    const out: SourceRecord[] = [];
    for (const group of this.groups.values()) {
      while (out.length < this.settings!.batchMaxRecords && !this.stopped) {
        if (!(await this.emitFrom(group, out))) break;
      }
      if (out.length >= this.settings!.batchMaxRecords) break;
    }
    return out;
  }

  /** Lists the topics' objects and adds the new ones of the groups this task owns. */
  private async list(): Promise<void> {
    const settings = this.settings!;
    for (const topic of settings.topics) {
      const keys: string[] = [];
      for await (const object of this.store!.list(topicPrefix(settings.layout, topic))) keys.push(object.key);
      const found = groupObjects(
        settings.layout,
        settings.format.extension,
        keys,
        (t, p) => t === topic && ownerTask(t, p, this.taskCount) === this.taskIndex,
      );
      for (const [id, objects] of found) {
        let group = this.groups.get(id);
        if (group === undefined) {
          group = {
            topic,
            kafkaPartition: objects[0]!.kafkaPartition,
            objects: [],
            position: null,
            open: null,
          };
          this.groups.set(id, group);
        }
        group.objects = objects;
      }
    }
    for (const group of this.groups.values())
      if (group.position === null) group.position = await this.committedPosition(group);
  }

  private sourcePartition(group: Group): JsonObject {
    return { topic: group.topic, partition: group.kafkaPartition };
  }

  private async committedPosition(group: Group): Promise<Position> {
    const offset = await this.context!.offsetStorageReader.offset(this.sourcePartition(group));
    const key = typeof offset?.['key'] === 'string' ? offset['key'] : null;
    const index = typeof offset?.['index'] === 'number' ? offset['index'] : 0;
    const parts =
      key === null ? null : parseObjectKey(this.settings!.layout, key, this.settings!.format.extension);
    return parts === null ? { startOffset: -1, index: 0 } : { startOffset: parts.startOffset, index };
  }

  /** Adds the group's next records to `out`; false when the group has nothing more right now. */
  private async emitFrom(group: Group, out: SourceRecord[]): Promise<boolean> {
    const position = group.position!;
    if (group.open === null) {
      const object = group.objects.find((o) => o.startOffset >= position.startOffset);
      if (object === undefined) return false;
      if (object.startOffset !== position.startOffset) {
        position.startOffset = object.startOffset;
        position.index = 0;
      }
      group.open = { object, records: await this.decode(object) };
    }
    const { object, records } = group.open;
    const settings = this.settings!;
    while (position.index < records.length && out.length < settings.batchMaxRecords) {
      const stored = records[position.index]!;
      position.index++;
      if (!this.inTimeRange(stored.timestamp)) continue;
      out.push(
        sourceRecord({
          sourcePartition: this.sourcePartition(group),
          sourceOffset: { key: object.key, index: position.index },
          topic: settings.targetTopic(group.topic),
          kafkaPartition: settings.restorePartitions
            ? (stored.kafkaPartition ?? object.kafkaPartition)
            : null,
          keySchema: stored.keySchema,
          key: stored.key,
          valueSchema: stored.valueSchema,
          value: stored.value,
          timestamp: stored.timestamp,
          headers: stored.headers,
        }),
      );
    }
    if (position.index >= records.length) {
      // Next object: any with a higher start offset.
      group.open = null;
      position.startOffset = object.startOffset + 1;
      position.index = 0;
    }
    return true;
  }

  private inTimeRange(timestamp: number | null): boolean {
    if (timestamp === null) return true;
    const { startTime, endTime } = this.settings!;
    return (startTime === null || timestamp >= startTime) && (endTime === null || timestamp < endTime);
  }

  private async decode(object: StoredObject): Promise<StoredRecord[]> {
    const bytes = await this.store!.get(object.key);
    const records: StoredRecord[] = [];
    try {
      for await (const record of this.settings!.format.read(bytes)) records.push(record);
    } catch (error) {
      throw new SluiceError('S3_OBJECT_UNREADABLE', [object.key, (error as Error).message], { cause: error });
    }
    return records;
  }

  private classify(error: unknown): Error {
    if (error instanceof SluiceError) return error;
    const where = this.store!.describe();
    const reason = describeS3Failure(error);
    const kind = classifyS3Failure(error);
    if (kind === 'refused') return new SluiceError('S3_REQUEST_FAILED', [where, reason], { cause: error });
    const now = Date.now();
    this.failingSince ??= now;
    const failingFor = now - this.failingSince;
    const timeout = this.settings!.retryTimeoutMs;
    if (timeout >= 0 && failingFor >= timeout) {
      const detail = `${reason}; still failing after ${failingFor} ms, errors.retry.timeout=${timeout} ms`;
      const code =
        kind === 'no-bucket'
          ? 'S3_BUCKET_NOT_FOUND'
          : kind === 'access-denied'
            ? 'S3_ACCESS_DENIED'
            : 'S3_UNREACHABLE';
      return new SluiceError(code, [where, detail], { cause: error });
    }
    return retriableError(`${where}: ${reason}; retrying`, error);
  }
}
