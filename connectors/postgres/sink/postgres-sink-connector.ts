import {
  ConfigValues,
  type ConfigIssue,
  type ConnectorConfig,
  type SinkConnector,
  type SinkConnectorContext,
} from '../../../runtime/api/index.js';
import { crossKeyIssues, postgresSinkConfigDef, postgresSinkSettings } from './config.js';
import { describeConnection, parseConnectionUrl } from './connection-url.js';

export class PostgresSinkConnector implements SinkConnector {
  private config: ConnectorConfig = {};

  start(config: ConnectorConfig, context: SinkConnectorContext): void {
    const settings = postgresSinkSettings(config);
    const target = describeConnection(
      parseConnectionUrl(settings.connectionUrl, settings.username, settings.password),
    );
    this.config = config;
    context.logger.info(`Starting Postgres sink connector for ${target}`);
  }

  /** Every task gets the same config; the worker spreads the topic partitions over them. */
  taskConfigs(maxTasks: number): ConnectorConfig[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.config }));
  }

  stop(): void {
    // Tasks own the connections; the connector holds nothing.
  }

  /** The runtime checks each key against the ConfigDef; this adds the rules between keys. */
  validate(config: ConnectorConfig): readonly ConfigIssue[] {
    return crossKeyIssues(ConfigValues.parse(postgresSinkConfigDef, config));
  }
}
