import type { ConfigDef } from '../../api/config-def.js';
import type { ConnectRecord } from '../../api/records.js';
import type { Predicate } from '../../api/transformation.js';
import { compileJavaPattern, javaPatternProblem, type JavaPattern } from '../support/java-regex.js';
import { predicatePlugin } from '../support/plugin-descriptors.js';
import { parseTransformConfig } from '../support/transform-config.js';

export const topicNameMatchesConfigDef: ConfigDef = {
  pattern: {
    type: 'string',
    importance: 'medium',
    documentation: "A Java regular expression for matching against the name of a record's topic.",
    validator: {
      nonEmpty: true,
      check: (v) => {
        const problem = javaPatternProblem(String(v));
        return problem === null ? null : `entry must be a Java-compatible regular expression: ${problem}`;
      },
    },
  },
};

/** True when the whole topic name matches the pattern. */
export class TopicNameMatches implements Predicate {
  private pattern: JavaPattern | null = null;

  configure(raw: Readonly<Record<string, string>>): void {
    this.pattern = compileJavaPattern(parseTransformConfig(topicNameMatchesConfigDef, raw).string('pattern'));
  }

  test(record: ConnectRecord): boolean {
    return this.pattern !== null && typeof record.topic === 'string' && this.pattern.matches(record.topic);
  }
}

export const topicNameMatchesPlugin = predicatePlugin(
  'TopicNameMatches',
  topicNameMatchesConfigDef,
  () => new TopicNameMatches(),
);
