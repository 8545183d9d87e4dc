import { distance } from 'fastest-levenshtein';

/**
 * The known name closest to a mistyped one, or null when none is close enough to be a typo.
 * "Close enough" grows with the length of the name: a third of its characters (at least 2),
 * so `tasks.maxx` finds `tasks.max` but `foo` does not find `topics`.
 */
export function didYouMean(name: string, known: Iterable<string>): string | null {
  const wanted = name.trim().toLowerCase();
  const limit = Math.max(2, Math.floor(wanted.length / 3));
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = distance(wanted, candidate.toLowerCase());
    if (d < bestDistance && d <= limit) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** `, did you mean 'x'?` or nothing: appended to a message that names the unknown thing. */
export function didYouMeanSuffix(name: string, known: Iterable<string>): string {
  const suggestion = didYouMean(name, known);
  return suggestion === null ? '' : `; did you mean '${suggestion}'?`;
}
