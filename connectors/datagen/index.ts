import type { SourcePlugin } from '../../runtime/api/index.js';
import { datagenConfigDef } from './config.js';
import { DatagenSourceConnector } from './datagen-source-connector.js';
import { DatagenSourceTask } from './datagen-source-task.js';

export const datagenSourcePlugin: SourcePlugin = {
  type: 'source',
  // Sluice's own connector (its keys are not Confluent's DatagenConnector's), so a name of its own.
  className: 'sluice.connect.datagen.DatagenSourceConnector',
  taskClassName: 'sluice.connect.datagen.DatagenSourceTask',
  aliases: ['DatagenSource', 'datagen', 'Datagen'],
  version: '0.1.0',
  configDef: datagenConfigDef,
  createConnector: () => new DatagenSourceConnector(),
  createTask: () => new DatagenSourceTask(),
};

export { DatagenKeys, TASK_INDEX_KEY } from './config.js';
export { SEQ_FIELD, TASK_FIELD } from './datagen-offsets.js';
export { datagenId } from './record-factory.js';
export { DATAGEN_KEY_SCHEMA, DATAGEN_VALUE_SCHEMA } from './schemas.js';
