import type { SourceRecord } from '../../../runtime/api/index.js';
import type { Lsn } from './lsn.js';

/** A transaction's end in the stream: once every record before it is committed, the slot may confirm `endLsn`. */
export interface CommitMarker {
  readonly kind: 'commit';
  readonly endLsn: Lsn;
}

export type QueueItem = { readonly kind: 'record'; readonly record: SourceRecord } | CommitMarker;

/**
 * Records between the readers (snapshot, replication stream) and poll(). Bounded by max.queue.size: the
 * snapshot awaits space; the stream is paused by its owner when `isFull`.
 */
export class RecordQueue {
  private items: QueueItem[] = [];
  private head = 0;
  private recordCount = 0;
  private readonly dataWaiters: (() => void)[] = [];
  private readonly spaceWaiters: (() => void)[] = [];

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.recordCount;
  }

  get isFull(): boolean {
    return this.recordCount >= this.capacity;
  }

  get isEmpty(): boolean {
    return this.head >= this.items.length;
  }

  push(item: QueueItem): void {
    this.items.push(item);
    if (item.kind === 'record') this.recordCount++;
    this.dataWaiters.splice(0).forEach((wake) => wake());
  }

  /** Up to `maxRecords` records, and every commit marker among or right after them, in order. */
  take(maxRecords: number): QueueItem[] {
    const out: QueueItem[] = [];
    let records = 0;
    while (this.head < this.items.length) {
      const item = this.items[this.head]!;
      if (item.kind === 'record') {
        if (records >= maxRecords) break;
        records++;
        this.recordCount--;
      }
      out.push(item);
      this.head++;
    }
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    if (this.recordCount < this.capacity) this.spaceWaiters.splice(0).forEach((wake) => wake());
    return out;
  }

  /** Resolves when an item arrives or `ms` passed. */
  waitForData(ms: number): Promise<void> {
    if (!this.isEmpty) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.dataWaiters.push(done);
    });
  }

  /** Resolves when the queue has room (checked again at least every second so a stop is noticed). */
  waitForSpace(): Promise<void> {
    if (!this.isFull) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, 1_000);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.spaceWaiters.push(done);
    });
  }

  /** Wakes everything waiting (used on stop). */
  wakeAll(): void {
    this.dataWaiters.splice(0).forEach((wake) => wake());
    this.spaceWaiters.splice(0).forEach((wake) => wake());
  }
}
