import { parseObjectKey, type ObjectKeyLayout } from '../layout/object-key.js';

/** An object of the sink's layout: one Kafka partition's records from `startOffset` on. */
export interface StoredObject {
  readonly key: string;
  readonly topic: string;
  readonly kafkaPartition: number;
  readonly startOffset: number;
}

/** The source partition of a group: one Kafka partition of one source topic. */
export function groupKey(topic: string, kafkaPartition: number): string {
  return `${topic}\u0000${kafkaPartition}`;
}

/**
 * Which task reads a (topic, partition): a stable hash modulo the task count, so every task decides alone,
 * partitions that appear later are picked up, and no listing is needed to hand out work.
 */
export function ownerTask(topic: string, kafkaPartition: number, taskCount: number): number {
  let hash = 2166136261;
  for (const c of `${topic}/${kafkaPartition}`) hash = Math.imul(hash ^ c.charCodeAt(0), 16777619);
  return (hash >>> 0) % taskCount;
}

/** Keys that parse in the layout, grouped by (topic, partition), each group in start-offset order. */
export function groupObjects(
  layout: ObjectKeyLayout,
  extension: string,
  keys: Iterable<string>,
  keep: (topic: string, kafkaPartition: number) => boolean,
): Map<string, StoredObject[]> {
  const groups = new Map<string, StoredObject[]>();
  for (const key of keys) {
    const parts = parseObjectKey(layout, key, extension);
    if (parts === null || !keep(parts.topic, parts.kafkaPartition)) continue;
    const id = groupKey(parts.topic, parts.kafkaPartition);
    let list = groups.get(id);
    if (list === undefined) groups.set(id, (list = []));
    list.push({
      key,
      topic: parts.topic,
      kafkaPartition: parts.kafkaPartition,
      startOffset: parts.startOffset,
    });
  }
  for (const list of groups.values()) list.sort((a, b) => a.startOffset - b.startOffset);
  return groups;
}
