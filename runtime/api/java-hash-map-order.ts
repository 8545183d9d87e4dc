/**
 * The order in which a java.util.HashMap with these String keys iterates them, and JSON written in that
 * order. Kafka Connect stores a source partition (a Map the task built, nearly always a HashMap) in the
 * offsets topic as JSON written by iterating the map, and looks offsets up by the key's BYTES: a Java worker
 * (or MirrorMaker 2) taking over Sluice's offsets finds them only if Sluice writes the keys in the same order.
 * MM2's {cluster, partition, topic} is alphabetical by chance; its checkpoint partition {partition, topic,
 * group} is not.
 */
import type { JsonValue } from './json.js';

/** Java's String.hashCode (UTF-16 code units, 32-bit wrap-around). */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** HashMap's table size for `count` entries put one by one (initial 16, doubled above 0.75 load). */
function tableSize(count: number): number {
  let size = 16;
  while (count > size * 0.75) size *= 2;
  return size;
}

/**
 * Keys in HashMap iteration order: by bucket (spread hash & (size - 1)), then, within a bucket, in insertion
 * order (the order given). Buckets that would have been split into trees (8+ collisions) are not modelled.
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  const size = tableSize(keys.length);
  const bucket = (key: string): number => {
    const h = javaStringHash(key);
    return (h ^ (h >>> 16)) & (size - 1);
  };
  return keys
    .map((key, index) => ({ key, index, bucket: bucket(key) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map((e) => e.key);
}

/** JSON without spaces, objects' keys in HashMap order (nested objects too), as Connect's JsonConverter writes a Map. */
export function javaMapJson(value: JsonValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(javaMapJson).join(',')}]`;
  const keys = javaHashMapOrder(Object.keys(value));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${javaMapJson(value[k]!)}`).join(',')}}`;
}
