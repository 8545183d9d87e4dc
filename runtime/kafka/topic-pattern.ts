/**
 * Which topics a pattern subscription (`topics.regex`) consumes, by the Java consumer's rule: the whole
 * name must match (`Pattern.matcher(topic).matches()`), and internal topics are left out
 * (`exclude.internal.topics=true`; here every name starting with `__`).
 */
export function topicsMatching(pattern: RegExp, topics: Iterable<string>): string[] {
  // Anchor whatever we were given; `g`/`y` would make test() stateful.
  const whole = new RegExp(`^(?:${pattern.source})$`, pattern.flags.replace(/[gy]/g, ''));
  const matched = new Set<string>();
  for (const topic of topics) if (!topic.startsWith('__') && whole.test(topic)) matched.add(topic);
  return [...matched].sort();
}

/** True when both sorted lists name the same topics. */
export function sameTopics(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((topic, i) => topic === b[i]);
}
