import pg from 'pg';
import {
  ConfigValues,
  connectError,
  type SinkOffsetChange,
  type ConfigIssue,
  type ConnectorConfig,
  type SinkConnector,
  type SinkConnectorContext,
} from '../../../runtime/api/index.js';
import { crossKeyIssues, postgresSinkConfigDef, postgresSinkSettings } from './config.js';
import { describeConnection, parseConnectionUrl } from './connection-url.js';
import { OffsetLedger, offsetsTableId } from './offset-ledger.js';
import { describePgError } from './pg-errors.js';

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

  /**
   * The tasks resume from the offsets stored in the target (offsets.storage.table), not from the consumer
   * group: the offsets API (PATCH/DELETE /connectors/{name}/offsets) moves those rows as well.
   */
  async alterOffsets(config: ConnectorConfig, offsets: readonly SinkOffsetChange[]): Promise<boolean> {
    const settings = postgresSinkSettings(config);
    const name = config['name'];
    if (name === undefined)
      throw connectError('PostgresSink offsets cannot be altered: the config has no name');
    const connection = parseConnectionUrl(settings.connectionUrl, settings.username, settings.password);
    const client = new pg.Client({
      host: connection.host,
      port: connection.port,
      database: connection.database,
      user: connection.user,
      password: connection.password,
      ssl: connection.ssl ? { rejectUnauthorized: false } : undefined,
      options: connection.searchPath === undefined ? undefined : `-c search_path=${connection.searchPath}`,
      connectionTimeoutMillis: 10_000,
    });
    const ledger = new OffsetLedger(
      offsetsTableId(settings.offsetsStorageTable, settings.quoteIdentifiers),
      name,
    );
    try {
      await client.connect();
      await ledger.ensureTable(client);
      await ledger.overwrite(client, offsets);
    } catch (error) {
      throw connectError(
        `Could not change the offsets stored in ${ledger.label} at ${describeConnection(connection)}: ${describePgError(error)}`,
        error,
      );
    } finally {
      await client.end().catch(() => undefined);
    }
    return true;
  }

  /** The runtime checks each key against the ConfigDef; this adds the rules between keys. */
  validate(config: ConnectorConfig): readonly ConfigIssue[] {
    return crossKeyIssues(ConfigValues.parse(postgresSinkConfigDef, config));
  }
}
