import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OffsetSyncQueue } from '../../../../connectors/mirror/offset-sync-writer.js';
import { OffsetSyncStore } from '../../../../connectors/mirror/offset-sync-store.js';
import type { OffsetSync } from '../../../../connectors/mirror/offset-sync.js';

const LAG = 100;

/** Replicates upstream 0..count-1 of t/0 to downstream base+i, as one acknowledged batch (no write in between). */
function replicateBatch(queue: OffsetSyncQueue, count: number, base = 0, from = 0): void {
  for (let i = from; i < from + count; i++) queue.replicated('t', 0, i, base + i);
}

function storeOf(syncs: readonly OffsetSync[]): OffsetSyncStore {
  const store = new OffsetSyncStore();
  for (const s of syncs) store.add(s);
  return store;
}

describe('offset sync queue', () => {
  test("every due sync of one acknowledged batch is written, not only the batch's last one", () => {
    const queue = new OffsetSyncQueue(LAG);
    replicateBatch(queue, 3_000);
    const written = queue.take().map((s) => s.upstreamOffset);
    assert.equal(written[0], 0);
    assert.ok(written.length >= 3_000 / (LAG + 1), `${written.length} syncs for 3,000 records`);
    for (let i = 1; i < written.length; i++)
      assert.ok(written[i]! - written[i - 1]! <= LAG + 1, `gap ${written[i - 1]} -> ${written[i]}`);
  });

  test('translation through the written syncs: nothing skipped, at most offset.lag.max re-read, for every position', () => {
    const queue = new OffsetSyncQueue(LAG);
    const base = 7_000; // the remote topic already held other records
    replicateBatch(queue, 3_000, base);
    queue.promoteDelayed();
    const store = storeOf(queue.take());
    for (let committed = 0; committed < 3_000; committed++) {
      const firstUnread = base + committed;
      const resumeAt = store.translateDownstream('t', 0, committed);
      assert.ok(resumeAt !== null, `position ${committed} translates`);
      assert.ok(
        resumeAt <= firstUnread,
        `position ${committed}: resumes at ${resumeAt}, after the first unread ${firstUnread}`,
      );
      assert.ok(firstUnread - resumeAt <= LAG, `position ${committed}: re-reads ${firstUnread - resumeAt}`);
    }
  });

  test('the newest record is synced at commit, so a caught-up consumer translates exactly', () => {
    const queue = new OffsetSyncQueue(LAG);
    replicateBatch(queue, 150);
    assert.equal(
      storeOf(queue.take()).translateDownstream('t', 0, 149),
      102,
      'without it: one past the last due sync (101)',
    );
    queue.promoteDelayed();
    const delayed = queue.take();
    assert.deepEqual(delayed, [{ topic: 't', partition: 0, upstreamOffset: 149, downstreamOffset: 149 }]);
    queue.promoteDelayed();
    assert.equal(queue.size, 0, 'promoted once only');
  });

  test('a due sync replaces the delayed one of its partition', () => {
    const queue = new OffsetSyncQueue(LAG);
    replicateBatch(queue, 101); // 0 is due, 1..100 delayed, none due yet
    queue.replicated('t', 0, 101, 101); // due
    queue.promoteDelayed();
    assert.deepEqual(
      queue.take().map((s) => s.upstreamOffset),
      [0, 101],
    );
  });

  test("syncs whose write failed go back in front, keeping each partition's order", () => {
    const queue = new OffsetSyncQueue(LAG);
    replicateBatch(queue, 102);
    const failed = queue.take();
    replicateBatch(queue, 101, 0, 102);
    queue.requeue(failed);
    const upstream = queue.take().map((s) => s.upstreamOffset);
    assert.deepEqual(
      upstream,
      [...upstream].sort((a, b) => a - b),
    );
    assert.equal(upstream[0], 0);
  });

  test('while syncs cannot be written, the oldest are dropped beyond the bound', () => {
    const queue = new OffsetSyncQueue(1, 10);
    replicateBatch(queue, 50);
    assert.equal(queue.size, 10);
    assert.equal(queue.droppedCount, 15);
    assert.equal(queue.take()[0]!.upstreamOffset, 30);
  });
});

describe('offset sync store', () => {
  test('syncs come in per partition; another partition or topic does not translate', () => {
    const store = storeOf([{ topic: 't', partition: 0, upstreamOffset: 10, downstreamOffset: 20 }]);
    assert.equal(store.translateDownstream('t', 1, 10), null);
    assert.equal(store.translateDownstream('u', 0, 10), null);
    assert.equal(store.translateDownstream('t', 0, 9), null, 'before the first sync nothing is known');
  });

  test('past the bound, old positions still translate (coarser, never skipping) and recent ones stay exact', () => {
    const store = new OffsetSyncStore(100);
    for (let i = 0; i <= 1_000; i++)
      store.add({ topic: 't', partition: 0, upstreamOffset: i * 10, downstreamOffset: 5 + i * 10 });
    for (const committed of [0, 5, 1_234, 5_000, 9_000]) {
      const resumeAt = store.translateDownstream('t', 0, committed);
      assert.ok(resumeAt !== null, `${committed} translates`);
      assert.ok(
        resumeAt <= 5 + committed,
        `${committed}: resumes at ${resumeAt}, past the first unread ${5 + committed}`,
      );
    }
    assert.equal(store.translateDownstream('t', 0, 10_000), 10_005, 'the newest sync is kept');
    assert.equal(store.translateDownstream('t', 0, 9_995), 9_996, 'recent syncs are dense');
  });

  test('a replayed history after a crash (upstream repeats at higher downstream offsets) replaces the syncs above it', () => {
    const store = storeOf([
      { topic: 't', partition: 0, upstreamOffset: 0, downstreamOffset: 0 },
      { topic: 't', partition: 0, upstreamOffset: 101, downstreamOffset: 101 },
      { topic: 't', partition: 0, upstreamOffset: 202, downstreamOffset: 202 },
      // restarted from upstream 150: records 150.. were copied again from downstream 250
      { topic: 't', partition: 0, upstreamOffset: 150, downstreamOffset: 250 },
    ]);
    assert.equal(store.translateDownstream('t', 0, 210), 251);
    assert.equal(store.translateDownstream('t', 0, 120), 102);
  });
});
