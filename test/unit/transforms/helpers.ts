import type { PredicatePlugin, TransformationPlugin } from '../../../runtime/api/plugin.js';
import {
  sourceRecord,
  type SinkRecord,
  type SourceRecord,
  type SourceRecordInit,
} from '../../../runtime/api/records.js';
import type { Predicate, Transformation } from '../../../runtime/api/transformation.js';
import { predicatePlugins, transformationPlugins } from '../../../runtime/transforms/index.js';

export function source(init: Partial<SourceRecordInit> = {}): SourceRecord {
  return sourceRecord({
    sourcePartition: { table: 't' },
    sourceOffset: { pos: 7 },
    topic: 'orders',
    ...init,
  });
}

export function sink(init: Partial<SinkRecord> = {}): SinkRecord {
  return {
    topic: 'orders',
    kafkaPartition: 3,
    kafkaOffset: 42,
    timestampType: 'CreateTime',
    originalTopic: 'orders',
    originalKafkaPartition: 3,
    originalKafkaOffset: 42,
    keySchema: null,
    key: null,
    valueSchema: null,
    value: null,
    timestamp: 1_700_000_000_000,
    headers: [],
    ...init,
  };
}

function byName<P extends TransformationPlugin | PredicatePlugin>(plugins: readonly P[], name: string): P {
  const plugin = plugins.find((p) => p.aliases.includes(name) || p.className === name);
  if (plugin === undefined) throw new Error(`no built-in plugin ${name}`);
  return plugin;
}

/** A configured instance of the built-in transform with that short name (e.g. `InsertField$Value`). */
export function transform(name: string, config: Record<string, string> = {}): Transformation {
  const instance = byName(transformationPlugins, name).create();
  instance.configure(config);
  return instance;
}

export function predicate(name: string, config: Record<string, string> = {}): Predicate {
  const instance = byName(predicatePlugins, name).create();
  instance.configure(config);
  return instance;
}
