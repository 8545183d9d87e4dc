import type { SinkPlugin } from '../../runtime/api/index.js';
import { CassandraSinkConnector } from './cassandra-sink-connector.js';
import { CassandraSinkTask } from './cassandra-sink-task.js';
import { cassandraSinkConfigDef } from './config.js';

export const cassandraSinkPlugin: SinkPlugin = {
  type: 'sink',
  className: 'com.datastax.oss.kafka.sink.CassandraSinkConnector',
  taskClassName: 'com.datastax.oss.kafka.sink.CassandraSinkTask',
  aliases: [],
  version: '0.1.0',
  configDef: cassandraSinkConfigDef,
  // topic.<topic>.<keyspace>.<table>.* maps each topic onto its tables (table-settings.ts).
  configPrefixes: ['topic.'],
  createConnector: () => new CassandraSinkConnector(),
  createTask: () => new CassandraSinkTask(),
};

export { cassandraBackfillJobType } from './backfill/index.js';
