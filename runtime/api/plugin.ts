import type { ConfigDef } from './config-def.js';
import type { SinkConnector, SourceConnector } from './connector.js';
import type { Converter, HeaderConverter } from './converter.js';
import type { SinkTask, SourceTask } from './task.js';
import type { Predicate, Transformation } from './transformation.js';

interface PluginBase {
  /** The name reported by GET /connector-plugins. */
  readonly className: string;
  /** Other names accepted in configs, e.g. Kafka Connect's or Debezium's fully qualified class names. */
  readonly aliases: readonly string[];
  readonly version: string;
  readonly configDef: ConfigDef;
}

export interface SourcePlugin extends PluginBase {
  readonly type: 'source';
  createConnector(): SourceConnector;
  createTask(): SourceTask;
}

export interface SinkPlugin extends PluginBase {
  readonly type: 'sink';
  createConnector(): SinkConnector;
  createTask(): SinkTask;
}

export type ConnectorPlugin = SourcePlugin | SinkPlugin;

export interface TransformationPlugin extends PluginBase {
  readonly type: 'transformation';
  create(): Transformation;
}

export interface PredicatePlugin extends PluginBase {
  readonly type: 'predicate';
  create(): Predicate;
}

export interface ConverterPlugin extends PluginBase {
  readonly type: 'converter';
  create(): Converter;
}

export interface HeaderConverterPlugin extends PluginBase {
  readonly type: 'header_converter';
  create(): HeaderConverter;
}

export type Plugin =
  ConnectorPlugin | TransformationPlugin | PredicatePlugin | ConverterPlugin | HeaderConverterPlugin;

/** What a third-party npm package exports (named export `plugins`) to be loaded through `plugin.path`. */
export interface PluginModule {
  readonly plugins: readonly Plugin[];
}
