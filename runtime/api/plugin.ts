import type { ConfigDef } from './config-def.js';
import type { SinkConnector, SourceConnector } from './connector.js';
import type { Converter, HeaderConverter } from './converter.js';
import type { SinkTask, SourceTask } from './task.js';
import type { Predicate, Transformation } from './transformation.js';

interface PluginBase {
  /**
   * The canonical name, listed by GET /connector-plugins: the fully qualified Java class name of the plugin
   * Connect tooling knows it as (`org.apache.kafka.connect.file.FileStreamSinkConnector`). Its simple name,
   * and for connectors the simple name without `Connector`, are accepted in configs too.
   */
  readonly className: string;
  /** Other names accepted in configs (Sluice's short names, e.g. `PostgresCdcSource`). */
  readonly aliases: readonly string[];
  readonly version: string;
  readonly configDef: ConfigDef;
}

interface ConnectorPluginBase extends PluginBase {
  /**
   * The task's class name, reported as `task.class` in each task config as Connect does. Default: the
   * class name with `Connector` replaced by `Task` (`...FileStreamSinkConnector` → `...FileStreamSinkTask`).
   */
  readonly taskClassName?: string;
  /**
   * Prefixes of keys the connector reads beyond its ConfigDef (`source.cluster.*`), so they are not
   * reported as unknown keys (runtime/config/unknown-keys.ts).
   */
  readonly configPrefixes?: readonly string[];
}

export interface SourcePlugin extends ConnectorPluginBase {
  readonly type: 'source';
  createConnector(): SourceConnector;
  createTask(): SourceTask;
}

export interface SinkPlugin extends ConnectorPluginBase {
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
