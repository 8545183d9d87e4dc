/**
 * `topic.regex` / `topic.regex.replacement`: a source topic the expression matches as a whole is written to the
 * replacement ($1 ... its groups, as String.replace reads them); any other topic keeps its name.
 */
export class TopicRenamer {
  private readonly regex: RegExp | null;
  private readonly cache = new Map<string, string>();

  constructor(
    pattern: string | null,
    private readonly replacement: string | null,
  ) {
    this.regex = pattern === null || replacement === null ? null : new RegExp(`^(?:${pattern})$`);
  }

  targetOf(topic: string): string {
    if (this.regex === null) return topic;
    let target = this.cache.get(topic);
    if (target === undefined) {
      target = this.regex.test(topic) ? topic.replace(this.regex, this.replacement!) : topic;
      this.cache.set(topic, target);
    }
    return target;
  }
}
