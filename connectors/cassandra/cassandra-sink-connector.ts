import {
  ConfigValues,
  type ConfigIssue,
  type ConnectorConfig,
  type SinkConnector,
  type SinkConnectorContext,
} from '../../runtime/api/index.js';
import { describeCassandraError } from './cassandra-errors.js';
import { describeContactPoints, newCassandraClient } from './cassandra-client.js';
import {
  CassandraSinkKeys,
  cassandraSinkConfigDef,
  cassandraSinkSettings,
  connectionIssues,
} from './config.js';
import { tableTargets } from './table-settings.js';
import { loadTableShape, mappingProblems } from './table-writer.js';

const VALIDATE_TIMEOUT_MS = 10_000;

export class CassandraSinkConnector implements SinkConnector {
  private config: ConnectorConfig = {};

  start(config: ConnectorConfig, context: SinkConnectorContext): void {
    const settings = cassandraSinkSettings(config);
    this.config = config;
    context.logger.info(
      `Starting Cassandra sink connector for ${describeContactPoints(settings.connection)}`,
    );
  }

  /** Every task gets the same config; the worker spreads the topic partitions over them. */
  taskConfigs(maxTasks: number): ConnectorConfig[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.config }));
  }

  stop(): void {
    // Tasks own the connections.
  }

  /**
   * The keys, the mappings' syntax, then the mappings against the live schema: keyspace, table, columns and
   * primary-key coverage, each issue on the mapping key it is about (a 400 on validate and on create).
   */
  async validate(config: ConnectorConfig): Promise<readonly ConfigIssue[]> {
    const values = ConfigValues.parse(cassandraSinkConfigDef, config);
    const issues = [...connectionIssues(values)];
    const { targets, issues: targetIssues } = tableTargets(config);
    issues.push(...targetIssues);
    if (values.issues.length > 0 || issues.length > 0 || targets.length === 0) return issues;
    const settings = cassandraSinkSettings(config);
    const client = newCassandraClient(settings.connection, 'sluice-validate');
    try {
      await withTimeout(client.connect(), VALIDATE_TIMEOUT_MS);
      for (const target of targets) {
        const shape = await loadTableShape(client, target.keyspace, target.table);
        const key = `${target.prefix}.mapping`;
        if (shape === 'no keyspace')
          issues.push({ key, message: `keyspace ${target.keyspace} does not exist` });
        else if (shape === 'no table')
          issues.push({ key, message: `table ${target.keyspace}.${target.table} does not exist` });
        else for (const message of mappingProblems(target, shape)) issues.push({ key, message });
      }
    } catch (error) {
      issues.push({
        key: CassandraSinkKeys.CONTACT_POINTS,
        message: `cannot check the mappings against ${describeContactPoints(settings.connection)}: ${describeCassandraError(error)}`,
      });
    } finally {
      await client.shutdown().catch(() => undefined);
    }
    return issues;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
