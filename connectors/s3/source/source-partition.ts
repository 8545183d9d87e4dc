import type { ObjectKeyParts } from '../layout/object-key.js';

/** An object of one source partition, ordered by (startOffset, key). */
export interface PartitionObject {
  readonly key: string;
  readonly parts: ObjectKeyParts;
}

/** Where a source partition stands: `index` records of object `key` were emitted (the committed source offset). */
export interface ReadPosition {
  readonly key: string;
  readonly startOffset: number;
  readonly index: number;
  /** Every record of the object was emitted (known only for objects read by this task, not after a restart). */
  readonly complete?: boolean;
}

function compare(aOffset: number, aKey: string, bOffset: number, bKey: string): number {
  if (aOffset !== bOffset) return aOffset - bOffset;
  return aKey < bKey ? -1 : aKey > bKey ? 1 : 0;
}

/**
 * The objects of one (topic, Kafka partition) still to read, in start-offset order across every encoded-partition
 * directory (a time-based layout spreads one Kafka partition over many), and the position reached. An object
 * ordered before the position was read; the position's own object resumes at its index.
 */
export class SourcePartition {
  private pending: PartitionObject[] = [];
  private readonly queued = new Set<string>();

  constructor(
    readonly topic: string,
    readonly partition: number,
    private position: ReadPosition | null,
  ) {}

  /** The source partition and offset shapes the worker stores. */
  get sourcePartition(): { topic: string; partition: number } {
    return { topic: this.topic, partition: this.partition };
  }

  /** Queues a listed object unless it was read or is queued already. */
  offer(object: PartitionObject): void {
    if (this.queued.has(object.key)) return;
    const p = this.position;
    if (p !== null) {
      const order = compare(object.parts.startOffset, object.key, p.startOffset, p.key);
      if (order < 0 || (order === 0 && p.complete === true)) return;
    }
    this.queued.add(object.key);
    this.pending.push(object);
  }

  /** Sorts what offer() added; called once per listing. */
  settle(): void {
    this.pending.sort((a, b) => compare(a.parts.startOffset, a.key, b.parts.startOffset, b.key));
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** The next object to read and how many of its records were emitted already (non-zero only when resuming). */
  peek(): { object: PartitionObject; skip: number } | null {
    const object = this.pending[0];
    if (object === undefined) return null;
    const p = this.position;
    return { object, skip: p !== null && p.key === object.key ? p.index : 0 };
  }

  /** Drops the object peek() gave: it is being read (or skipped). */
  take(object: PartitionObject): void {
    if (this.pending[0] === object) this.pending.shift();
    this.queued.delete(object.key);
  }

  /** Records that `index` records of `object` were handed to the worker. */
  advance(object: PartitionObject, index: number, complete: boolean): void {
    this.position = { key: object.key, startOffset: object.parts.startOffset, index, complete };
  }
}
