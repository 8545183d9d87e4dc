import type { ConfigDef } from '../api/config-def.js';
import type { ConnectRecord } from '../api/records.js';
import type { Transformation } from '../api/transformation.js';
import { dataError, keyedConfigError } from './support/errors.js';
import { JavaDateFormat } from './support/java-date-format.js';
import { transformationPlugin } from './support/plugin-descriptors.js';
import { parseTransformConfig } from './support/transform-config.js';

function datePatternProblem(value: unknown): string | null {
  try {
    new JavaDateFormat(String(value));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export const timestampRouterConfigDef: ConfigDef = {
  'topic.format': {
    type: 'string',
    default: '${topic}-${timestamp}',
    importance: 'high',
    documentation:
      'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.',
  },
  'timestamp.format': {
    type: 'string',
    default: 'yyyyMMdd',
    importance: 'high',
    documentation:
      'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
    validator: { check: datePatternProblem },
  },
};

/** Renames the topic from the original topic and the record timestamp, e.g. `orders-20240131`. */
export class TimestampRouter implements Transformation {
  private topicFormat = '';
  private timestampFormat = new JavaDateFormat('yyyyMMdd');

  configure(raw: Readonly<Record<string, string>>): void {
    const config = parseTransformConfig(timestampRouterConfigDef, raw);
    this.topicFormat = config.string('topic.format');
    const pattern = config.string('timestamp.format');
    try {
      this.timestampFormat = new JavaDateFormat(pattern);
    } catch (error) {
      throw keyedConfigError('timestamp.format', pattern, (error as Error).message);
    }
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    if (record.timestamp === null)
      throw dataError(
        `Timestamp missing on record: topic ${record.topic}, partition ${String(record.kafkaPartition)}`,
      );
    const formatted = this.timestampFormat.format(new Date(record.timestamp));
    // split/join replaces literally: `$` in a topic name must not be read as a replacement pattern.
    const topic = this.topicFormat.split('${topic}').join(record.topic).split('${timestamp}').join(formatted);
    return { ...record, topic };
  }
}

export const timestampRouterPlugin = transformationPlugin(
  'TimestampRouter',
  timestampRouterConfigDef,
  () => new TimestampRouter(),
);
