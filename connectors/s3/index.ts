import type { SinkPlugin, SourcePlugin } from '../../runtime/api/index.js';
import { S3SinkConnector } from './sink/s3-sink-connector.js';
import { S3SinkTask } from './sink/s3-sink-task.js';
import { s3SinkConfigDef } from './sink/sink-config.js';
import { S3SourceConnector } from './source/s3-source-connector.js';
import { S3SourceTask } from './source/s3-source-task.js';
import { s3SourceConfigDef } from './source/source-config.js';

export const s3SinkPlugin: SinkPlugin = {
  type: 'sink',
  className: 'io.confluent.connect.s3.S3SinkConnector',
  taskClassName: 'io.confluent.connect.s3.S3SinkTask',
  aliases: [],
  version: '0.1.0',
  configDef: s3SinkConfigDef,
  createConnector: () => new S3SinkConnector(),
  createTask: () => new S3SinkTask(),
};

export const s3SourcePlugin: SourcePlugin = {
  type: 'source',
  className: 'io.confluent.connect.s3.source.S3SourceConnector',
  taskClassName: 'io.confluent.connect.s3.source.S3SourceTask',
  aliases: [],
  version: '0.1.0',
  configDef: s3SourceConfigDef,
  createConnector: () => new S3SourceConnector(),
  createTask: () => new S3SourceTask(),
};

export { s3ReplayJobType } from './replay/replay-job-type.js';
