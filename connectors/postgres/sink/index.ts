import type { SinkPlugin } from '../../../runtime/api/index.js';
import { postgresSinkConfigDef } from './config.js';
import { PostgresSinkConnector } from './postgres-sink-connector.js';
import { PostgresSinkTask } from './postgres-sink-task.js';

export const postgresSinkPlugin: SinkPlugin = {
  type: 'sink',
  className: 'io.debezium.connector.jdbc.JdbcSinkConnector',
  taskClassName: 'io.debezium.connector.jdbc.JdbcSinkConnectorTask',
  aliases: ['PostgresSink'],
  version: '0.1.0',
  configDef: postgresSinkConfigDef,
  createConnector: () => new PostgresSinkConnector(),
  createTask: () => new PostgresSinkTask(),
};

export {
  PostgresSinkKeys,
  postgresSinkConfigDef,
  postgresSinkSettings,
  type PostgresSinkSettings,
} from './config.js';
