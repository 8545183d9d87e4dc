import type { Admin } from 'kafkajs';
import { sleep } from './child-process.js';

export interface TopicFillTiming {
  /** Records already in the topic when the watcher first saw any (they fall outside the timed window). */
  readonly recordsAtStart: number;
  /** Wall-clock ms when the first records were seen / when the topic reached the target. */
  readonly firstSeenAt: number;
  readonly reachedAt: number;
}

const POLL_MS = 10;

function sumOfEnds(offsets: readonly { high: string }[]): number {
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

/**
 * Watches a topic's end offsets (the sum over its partitions) from outside the producing process, the same
 * way for the worker and the baseline: timing starts when the first records are visible and stops when
 * `target` records are, so process start, client connect and metadata fetches are left out on both sides.
 */
export async function watchTopicFill(
  admin: Admin,
  topic: string,
  target: number,
  timeoutMs: number,
  failed: () => string | null,
): Promise<TopicFillTiming> {
  const deadline = Date.now() + timeoutMs;
  let firstSeenAt = 0;
  let recordsAtStart = 0;
  for (;;) {
    const ends = sumOfEnds(await admin.fetchTopicOffsets(topic));
    const now = Date.now();
    if (ends > 0 && firstSeenAt === 0) {
      firstSeenAt = now;
      recordsAtStart = ends;
    }
    if (ends >= target) return { recordsAtStart, firstSeenAt, reachedAt: now };
    const failure = failed();
    if (failure !== null)
      throw new Error(`producer stopped before ${topic} reached ${target} records (at ${ends}): ${failure}`);
    if (now > deadline)
      throw new Error(`${topic} reached only ${ends} of ${target} records within ${timeoutMs} ms`);
    await sleep(POLL_MS);
  }
}
