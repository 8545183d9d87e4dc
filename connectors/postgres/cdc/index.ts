import type { SourcePlugin } from '../../../runtime/api/index.js';
import { postgresCdcConfigDef } from './config.js';
import { PostgresCdcSourceConnector } from './postgres-cdc-source-connector.js';
import { PostgresCdcSourceTask } from './postgres-cdc-source-task.js';

export const postgresCdcSourcePlugin: SourcePlugin = {
  type: 'source',
  className: 'io.debezium.connector.postgresql.PostgresConnector',
  taskClassName: 'io.debezium.connector.postgresql.PostgresConnectorTask',
  aliases: ['PostgresCdcSource'],
  version: '0.1.0',
  configDef: postgresCdcConfigDef,
  createConnector: () => new PostgresCdcSourceConnector(),
  createTask: () => new PostgresCdcSourceTask(),
};

export { CdcKeys, postgresCdcConfigDef } from './config.js';
export { UNAVAILABLE_VALUE_PLACEHOLDER } from './value-mapping.js';
