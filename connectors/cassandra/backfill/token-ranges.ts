import type { JobUnit } from '../../../runtime/api/index.js';

/** Murmur3Partitioner's ring: tokens are signed 64-bit; Long.MIN_VALUE itself is never a row's token. */
const MIN_TOKEN = -(2n ** 63n);
const MAX_TOKEN = 2n ** 63n - 1n;

/** A unit: the rows whose token is in (`after`, `upTo`], as decimal text (the JSON the queue stores). */
export interface TokenRange {
  readonly after: string;
  readonly upTo: string;
}

/** The whole ring cut into `count` ranges of equal width, in token order; together they hold every row once. */
export function tokenRanges(count: number): JobUnit[] {
  const span = MAX_TOKEN - MIN_TOKEN;
  const bound = (i: number): bigint =>
    i === count ? MAX_TOKEN : MIN_TOKEN + (span * BigInt(i)) / BigInt(count);
  return Array.from({ length: count }, (_, i) => ({
    spec: { after: String(bound(i)), upTo: String(bound(i + 1)) },
  }));
}
