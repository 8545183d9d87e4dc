import type {
  ConfigIssue,
  ConnectorConfig,
  SourceConnector,
  SourceConnectorContext,
} from '../../../runtime/api/index.js';
import { TASK_COUNT_KEY, TASK_INDEX_KEY } from './s3-source-task.js';
import { s3SourceCrossKeyIssues } from './source-config.js';

export class S3SourceConnector implements SourceConnector {
  private config: ConnectorConfig = {};

  start(config: ConnectorConfig, context: SourceConnectorContext): void {
    this.config = config;
    context.logger.info(`Starting S3 source connector for bucket ${config['s3.bucket.name'] ?? ''}`);
  }

  /** Each task reads the (topic, partition) groups that hash to its index (see object-groups.ts). */
  taskConfigs(maxTasks: number): ConnectorConfig[] {
    const count = Math.max(1, maxTasks);
    return Array.from({ length: count }, (_, index) => ({
      ...this.config,
      [TASK_INDEX_KEY]: String(index),
      [TASK_COUNT_KEY]: String(count),
    }));
  }

  stop(): void {
    // Tasks own the S3 clients.
  }

  validate(config: ConnectorConfig): readonly ConfigIssue[] {
    return s3SourceCrossKeyIssues(config);
  }
}
