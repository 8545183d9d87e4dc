import type { SinkPlugin, SourcePlugin } from '../../runtime/api/index.js';
import { FileStreamSinkConnector } from './file-stream-sink-connector.js';
import { FileStreamSinkTask } from './file-stream-sink-task.js';
import { FileStreamSourceConnector } from './file-stream-source-connector.js';
import { FileStreamSourceTask } from './file-stream-source-task.js';
import { fileStreamSinkConfigDef } from './sink-config.js';
import { fileStreamSourceConfigDef } from './source-config.js';

const FILE_CONNECTORS_VERSION = '0.1.0';

export const fileStreamSourcePlugin: SourcePlugin = {
  type: 'source',
  className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
  taskClassName: 'org.apache.kafka.connect.file.FileStreamSourceTask',
  aliases: [],
  version: FILE_CONNECTORS_VERSION,
  configDef: fileStreamSourceConfigDef,
  createConnector: () => new FileStreamSourceConnector(),
  createTask: () => new FileStreamSourceTask(),
};

export const fileStreamSinkPlugin: SinkPlugin = {
  type: 'sink',
  className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
  taskClassName: 'org.apache.kafka.connect.file.FileStreamSinkTask',
  aliases: [],
  version: FILE_CONNECTORS_VERSION,
  configDef: fileStreamSinkConfigDef,
  createConnector: () => new FileStreamSinkConnector(),
  createTask: () => new FileStreamSinkTask(),
};

export { FileSinkKeys } from './sink-config.js';
export { FileSourceKeys } from './source-config.js';
export { FILENAME_FIELD, POSITION_FIELD } from './source-offsets.js';
