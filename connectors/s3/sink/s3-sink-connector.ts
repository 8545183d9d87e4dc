import type {
  ConfigIssue,
  ConnectorConfig,
  SinkConnector,
  SinkConnectorContext,
} from '../../../runtime/api/index.js';
import { s3SinkCrossKeyIssues } from './sink-config.js';

export class S3SinkConnector implements SinkConnector {
  private config: ConnectorConfig = {};

  start(config: ConnectorConfig, context: SinkConnectorContext): void {
    this.config = config;
    context.logger.info(`Starting S3 sink connector for bucket ${config['s3.bucket.name'] ?? ''}`);
  }

  /** Every task gets the same config; the worker spreads the topic partitions over them. */
  taskConfigs(maxTasks: number): ConnectorConfig[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.config }));
  }

  stop(): void {
    // Tasks own the S3 clients.
  }

  /** The runtime checks each key; this adds the rules between keys. The bucket is checked when tasks write. */
  validate(config: ConnectorConfig): readonly ConfigIssue[] {
    return s3SinkCrossKeyIssues(config);
  }
}
