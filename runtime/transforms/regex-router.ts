import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import type { Transformation } from '../api/transformation.js';
import { dataError } from './support/errors.js';
import { compileJavaPattern, javaPatternProblem, type JavaPattern } from './support/java-regex.js';
import { transformationPlugin } from './support/plugin-descriptors.js';
import { parseTransformConfig } from './support/transform-config.js';

export const regexRouterConfigDef: ConfigDef = {
  regex: {
    type: 'string',
    importance: 'high',
    documentation: 'Regular expression to use for matching.',
    validator: {
      check: (v) => {
        const problem = javaPatternProblem(String(v));
        return problem === null ? null : `Invalid regex: ${problem}`;
      },
    },
  },
  replacement: { type: 'string', importance: 'high', documentation: 'Replacement string.' },
};

/** Renames the topic when the whole topic matches `regex`, using Java's replacement syntax ($1, ${name}). */
export class RegexRouter implements Transformation {
  private regex: JavaPattern = compileJavaPattern('');
  private replacement = '';

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(regexRouterConfigDef, raw);
    this.regex = compileJavaPattern(config.string('regex'));
    this.replacement = config.string('replacement');
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (!this.regex.matches(record.topic)) return record;
    let topic: string | null;
    try {
      topic = this.regex.replaceFirst(record.topic, this.replacement);
    } catch (error) {
      throw dataError(
        `RegexRouter replacement '${this.replacement}' failed for topic ${record.topic}: ${(error as Error).message}`,
        error,
      );
    }
    return topic === null ? record : { ...record, topic };
  }
}

export const regexRouterPlugin = transformationPlugin(
  'RegexRouter',
  regexRouterConfigDef,
  () => new RegexRouter(),
);
