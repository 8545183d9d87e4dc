import type { ConfigIssue } from './config-def.js';
import type { Logger } from './logger.js';
import type { OffsetStorageReader } from './offsets.js';
import type { SourceOffset, SourcePartition, TopicPartition } from './records.js';

/** Raw string properties, as in a Connect `.properties` file or REST config body. */
export type ConnectorConfig = Readonly<Record<string, string>>;

export interface ConnectorContext {
  readonly connectorName: string;
  readonly logger: Logger;
  /** Ask the runtime to call taskConfigs again (e.g. new tables or topics appeared). */
  requestTaskReconfiguration(): void;
  /** Fail the connector with this error (from a background thread of the connector). */
  raiseError(error: Error): void;
}

export interface SourceConnectorContext extends ConnectorContext {
  readonly offsetStorageReader: OffsetStorageReader;
}

export type SinkConnectorContext = ConnectorContext;

interface ConnectorBase<Context extends ConnectorContext> {
  start(config: ConnectorConfig, context: Context): Promise<void> | void;
  /** At most `maxTasks` task configs; each becomes one task. */
  taskConfigs(maxTasks: number): Promise<ConnectorConfig[]> | ConnectorConfig[];
  stop(): Promise<void> | void;
  /** Cross-key validation beyond the ConfigDef; each issue names its key. */
  validate?(config: ConnectorConfig): Promise<readonly ConfigIssue[]> | readonly ConfigIssue[];
}

/** Connect's ExactlyOnceSupport: whether a source connector, so configured, can deliver exactly once. */
export type ExactlyOnceSupport = 'SUPPORTED' | 'UNSUPPORTED';

export interface SourceConnector extends ConnectorBase<SourceConnectorContext> {
  /**
   * Connect's exactlyOnceSupport(): SUPPORTED when this config's source offsets identify each record, so
   * that records and offsets written in one transaction are never produced twice. Absent: unknown, and
   * `exactly.once.support=required` is refused.
   */
  exactlyOnceSupport?(config: ConnectorConfig): ExactlyOnceSupport;
  /** Called before offsets are altered over REST; throw to reject offsets the connector cannot use. */
  alterOffsets?(
    config: ConnectorConfig,
    offsets: ReadonlyMap<SourcePartition, SourceOffset | null>,
  ): Promise<boolean> | boolean;
}

/** A sink partition's new next offset, or null when its offset is reset (DELETE /connectors/{c}/offsets). */
export interface SinkOffsetChange extends TopicPartition {
  readonly offset: number | null;
}

export interface SinkConnector extends ConnectorBase<SinkConnectorContext> {
  /**
   * Called before a STOPPED sink's consumer-group offsets are altered (PATCH) or reset (DELETE, every
   * partition of the group with offset null) over REST, with the connector's config (placeholders resolved).
   * A sink that keeps offsets of its own (in its target) moves them here, so the tasks continue where the
   * request says; throw to refuse the request. Connect's SinkConnector.alterOffsets.
   */
  alterOffsets?(config: ConnectorConfig, offsets: readonly SinkOffsetChange[]): Promise<boolean> | boolean;
}
