/**
 * Chooses partitions on the client side so every message's partition is known before it is sent:
 * that is what lets the runtime report a per-record offset (SourceTask.commitRecord, MirrorMaker offset syncs).
 * Keyed messages use Kafka's murmur2 hash (same partition as the Java producer); unkeyed ones
 * stick to one partition per batch and rotate between batches, like Kafka's sticky partitioner.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;

export function murmur2(data: Buffer): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k =
      (data[i4]! & 0xff) +
      ((data[i4 + 1]! & 0xff) << 8) +
      ((data[i4 + 2]! & 0xff) << 16) +
      ((data[i4 + 3]! & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & ~3;
  const remainder = length & 3;
  if (remainder === 3) h ^= (data[tail + 2]! & 0xff) << 16;
  if (remainder >= 2) h ^= (data[tail + 1]! & 0xff) << 8;
  if (remainder >= 1) {
    h ^= data[tail]! & 0xff;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

export function partitionForKey(key: Buffer, partitionCount: number): number {
  return (murmur2(key) & 0x7fffffff) % partitionCount;
}

export class StickyPartitionChooser {
  private readonly current = new Map<string, number>();

  /** The partition for unkeyed messages of `topic` in the batch being built. */
  partitionFor(topic: string, partitionCount: number): number {
    let p = this.current.get(topic);
    if (p === undefined || p >= partitionCount) {
      p = Math.floor(Math.random() * partitionCount);
      this.current.set(topic, p);
    }
    return p;
  }

  /** Move every topic to its next partition; called once per sent batch. */
  rotate(partitionCounts: ReadonlyMap<string, number>): void {
    for (const [topic, p] of this.current)
      this.current.set(topic, (p + 1) % (partitionCounts.get(topic) ?? 1));
  }
}
