import type {
  ConfigIssue,
  ConnectorConfig,
  ExactlyOnceSupport,
  SourceConnector,
  SourceConnectorContext,
} from '../../../runtime/api/index.js';
import { cdcSettings, CdcKeys } from './config.js';

/** One task: a replication slot has exactly one consumer. */
export class PostgresCdcSourceConnector implements SourceConnector {
  private config: ConnectorConfig = {};

  start(config: ConnectorConfig, context: SourceConnectorContext): void {
    const settings = cdcSettings(config);
    this.config = config;
    context.logger.info(
      `Starting Postgres CDC for ${settings.host}:${settings.port}/${settings.database} as ${settings.topicPrefix}`,
    );
  }

  /** Source offsets are WAL positions and the slot is confirmed only after they committed: exactly once. */
  exactlyOnceSupport(): ExactlyOnceSupport {
    return 'SUPPORTED';
  }

  taskConfigs(_maxTasks: number): ConnectorConfig[] {
    return [{ ...this.config }];
  }

  stop(): void {
    // The task owns every connection.
  }

  validate(config: ConnectorConfig): readonly ConfigIssue[] {
    const issues: ConfigIssue[] = [];
    if ((config[CdcKeys.SCHEMA_INCLUDE] ?? '') !== '' && (config[CdcKeys.SCHEMA_EXCLUDE] ?? '') !== '') {
      issues.push({
        key: CdcKeys.SCHEMA_EXCLUDE,
        message: 'schema.exclude.list cannot be used together with schema.include.list',
      });
    }
    if ((config[CdcKeys.TABLE_INCLUDE] ?? '') !== '' && (config[CdcKeys.TABLE_EXCLUDE] ?? '') !== '') {
      issues.push({
        key: CdcKeys.TABLE_EXCLUDE,
        message: 'table.exclude.list cannot be used together with table.include.list',
      });
    }
    if ((config[CdcKeys.COLUMN_INCLUDE] ?? '') !== '' && (config[CdcKeys.COLUMN_EXCLUDE] ?? '') !== '') {
      issues.push({
        key: CdcKeys.COLUMN_EXCLUDE,
        message: 'column.exclude.list cannot be used together with column.include.list',
      });
    }
    return issues;
  }
}
