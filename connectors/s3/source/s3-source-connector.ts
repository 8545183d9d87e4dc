import type {
  ConfigIssue,
  ConnectorConfig,
  ExactlyOnceSupport,
  SourceConnector,
  SourceConnectorContext,
} from '../../../runtime/api/index.js';
import { S3SourceKeys, s3SourceCrossKeyIssues } from './source-config.js';

export class S3SourceConnector implements SourceConnector {
  private config: ConnectorConfig = {};

  start(config: ConnectorConfig, context: SourceConnectorContext): void {
    this.config = config;
    context.logger.info(`Starting S3 source connector for bucket ${config['s3.bucket.name'] ?? ''}`);
  }

  /** Offsets name the object and the record in it: exactly once. */
  exactlyOnceSupport(): ExactlyOnceSupport {
    return 'SUPPORTED';
  }

  /**
   * tasks.max tasks, each reading the (topic, partition) groups task-assignment.ts gives its index. The
   * connector does not list the bucket, so a task may get no group (it then only lists).
   */
  taskConfigs(maxTasks: number): ConnectorConfig[] {
    const count = Math.max(1, maxTasks);
    return Array.from({ length: count }, (_, index) => ({
      ...this.config,
      [S3SourceKeys.TASK_INDEX]: String(index),
      [S3SourceKeys.TASK_COUNT]: String(count),
    }));
  }

  stop(): void {
    // Tasks own the S3 clients.
  }

  /** The runtime checks each key; this adds the rules between keys. The bucket is checked when tasks read. */
  validate(config: ConnectorConfig): readonly ConfigIssue[] {
    return s3SourceCrossKeyIssues(config);
  }
}
