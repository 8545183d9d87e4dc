import type { SinkPlugin } from '../../runtime/api/index.js';
import { S3SinkConnector } from './sink/s3-sink-connector.js';
import { S3SinkTask } from './sink/s3-sink-task.js';
import { s3SinkConfigDef } from './sink/sink-config.js';

export const s3SinkPlugin: SinkPlugin = {
  type: 'sink',
  className: 'S3Sink',
  aliases: ['io.confluent.connect.s3.S3SinkConnector', 'S3SinkConnector'],
  version: '0.1.0',
  configDef: s3SinkConfigDef,
  createConnector: () => new S3SinkConnector(),
  createTask: () => new S3SinkTask(),
};
