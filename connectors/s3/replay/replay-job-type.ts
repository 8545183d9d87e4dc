import { setTimeout as delay } from 'node:timers/promises';
import {
  SluiceError,
  type JobType,
  type JobUnit,
  type JsonObject,
  type SourceRecord,
} from '../../../runtime/api/index.js';
import type { StoredRecord } from '../format/record-format.js';
import { parseObjectKey, topicPrefix } from '../layout/object-key.js';
import { restoredRecord } from '../source/source-records.js';
import { ObjectStore } from '../storage/object-store.js';
import { replayConfigSchema, replaySettings, type ReplaySettings } from './replay-config.js';

/** One unit: the objects of one Kafka partition of the topic, in start-offset order. */
interface PartitionSpec extends JsonObject {
  partition: number;
  objects: string[];
}

/** Lists the topic's objects as the S3 source does and groups them by Kafka partition, in start-offset order. */
async function partitionsOf(store: ObjectStore, settings: ReplaySettings): Promise<PartitionSpec[]> {
  const { layout, format } = settings.source;
  const byPartition = new Map<number, { key: string; startOffset: number }[]>();
  for await (const listed of store.list(topicPrefix(layout, settings.topic))) {
    const parts = parseObjectKey(layout, listed.key, format.extension);
    if (parts === null || parts.topic !== settings.topic) continue;
    let objects = byPartition.get(parts.kafkaPartition);
    if (objects === undefined) byPartition.set(parts.kafkaPartition, (objects = []));
    objects.push({ key: listed.key, startOffset: parts.startOffset });
  }
  return [...byPartition.entries()]
    .sort(([a], [b]) => a - b)
    .map(([partition, objects]) => ({
      partition,
      objects: objects
        .sort((a, b) => a.startOffset - b.startOffset || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((o) => o.key),
    }));
}

async function decode(store: ObjectStore, settings: ReplaySettings, key: string): Promise<StoredRecord[]> {
  const bytes = await store.get(key);
  const records: StoredRecord[] = [];
  try {
    for await (const record of settings.source.format.read(bytes)) records.push(record);
  } catch (error) {
    throw new SluiceError('S3_OBJECT_UNREADABLE', [key, (error as Error).message], { cause: error });
  }
  return records;
}

/**
 * `replay`: the records the S3 sink archived for a topic, whose timestamps fall in [`from`, `to`), back into
 * Kafka (the Kappa architecture's reprocessing). It reads objects the way the S3 source does; a unit is one
 * Kafka partition, its objects read in offset order and each written to the same partition of the target, so
 * per-partition order survives. A unit checkpoints after each object: a resumed unit re-sends at most the
 * object it was in.
 */
export const s3ReplayJobType: JobType = {
  name: 'replay',
  description: "Records of the S3 sink's archive in a time range back into a topic, per partition in order",
  configSchema: replayConfigSchema,
  async plan(config) {
    const settings = await replaySettings(config);
    const store = new ObjectStore(settings.source.store);
    try {
      const partitions = await partitionsOf(store, settings).catch((error: unknown) => {
        // A missing bucket or wrong credentials: the job cannot run; say so before anything is queued.
        throw new SluiceError('JOB_CONFIG_INVALID', [
          'replay',
          `cannot list ${store.describe()}: ${(error as Error).name}: ${(error as Error).message}`,
        ]);
      });
      if (partitions.length === 0)
        throw new SluiceError('JOB_CONFIG_INVALID', [
          'replay',
          `no objects of topic ${settings.topic} under ${topicPrefix(settings.source.layout, settings.topic)} in ${store.describe()} (format ${settings.source.format.extension})`,
        ]);
      const units: JobUnit[] = partitions.map((spec) => ({ spec }));
      return { units };
    } finally {
      store.close();
    }
  },
  async runUnit(config, unit, context) {
    const settings = await replaySettings(config);
    const spec = unit as PartitionSpec;
    const { window, restorePartitions, batchMaxRecords } = settings.source;
    const store = new ObjectStore(settings.source.store);
    const done = Number(context.resumeFrom?.['objects_done'] ?? 0);
    let skipped = Number(context.resumeFrom?.['records_outside_range'] ?? 0);
    const started = Date.now();
    let produced = 0;
    const produce = async (records: SourceRecord[]): Promise<void> => {
      await context.produce(records);
      produced += records.length;
      if (settings.maxRecordsPerSecond > 0) {
        const due = started + (produced * 1000) / settings.maxRecordsPerSecond;
        if (due > Date.now()) await delay(due - Date.now());
      }
    };
    try {
      for (let index = done; index < spec.objects.length; index++) {
        const key = spec.objects[index]!;
        const batch: SourceRecord[] = [];
        for (const stored of await decode(store, settings, key)) {
          if (!window.includes(stored.timestamp)) {
            skipped++;
            continue;
          }
          batch.push(
            restoredRecord(stored, {
              sourcePartition: { topic: settings.topic, partition: spec.partition },
              sourceOffset: { replay: context.jobId, key },
              topic: settings.targetTopic,
              kafkaPartition: restorePartitions ? spec.partition : null,
            }),
          );
          if (batch.length >= batchMaxRecords) await produce(batch.splice(0));
        }
        if (batch.length > 0) await produce(batch);
        await context.checkpoint({
          objects_done: index + 1,
          last_object: key,
          records_outside_range: skipped,
        });
      }
    } finally {
      store.close();
    }
    return {
      topic: settings.topic,
      target_topic: settings.targetTopic,
      partition: spec.partition,
      objects: spec.objects.length,
      objects_resumed_at: done,
      records_outside_range: skipped,
    };
  },
};
