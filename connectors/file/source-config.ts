import { ConfigValues } from '../../runtime/api/index.js';
import type { ConfigDef, ConnectorConfig } from '../../runtime/api/index.js';

/** Key names are Kafka Connect's FileStreamSourceConnector keys, so existing configs work unchanged. */
export const FileSourceKeys = {
  FILE: 'file',
  TOPIC: 'topic',
  BATCH_SIZE: 'batch.size',
} as const;

export const DEFAULT_SOURCE_BATCH_SIZE = 2000;

const SINGLE_TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

export const fileStreamSourceConfigDef: ConfigDef = {
  [FileSourceKeys.FILE]: {
    type: 'string',
    importance: 'high',
    // Unlike Connect, standard input is not offered: a worker's stdin is not a stream anyone can append to.
    documentation:
      'Source filename. Lines appended to this file are published; the file is tailed for growth and may not exist yet.',
    validator: { nonEmpty: true },
    displayName: 'File',
  },
  [FileSourceKeys.TOPIC]: {
    type: 'string',
    importance: 'high',
    documentation: 'The topic to publish data to',
    validator: {
      nonEmpty: true,
      check: (value) =>
        typeof value === 'string' && !SINGLE_TOPIC_NAME.test(value.trim())
          ? 'must be a single topic name (letters, digits, ".", "_" and "-", at most 249 characters)'
          : null,
    },
    displayName: 'Topic',
  },
  [FileSourceKeys.BATCH_SIZE]: {
    type: 'int',
    default: DEFAULT_SOURCE_BATCH_SIZE,
    importance: 'low',
    documentation:
      'The maximum number of records the source task can read from the file each time it is polled',
    validator: { min: 1 },
    displayName: 'Batch size',
  },
};

export interface FileStreamSourceSettings {
  readonly file: string;
  readonly topic: string;
  readonly batchSize: number;
}

export function fileStreamSourceSettings(config: ConnectorConfig): FileStreamSourceSettings {
  const values = ConfigValues.parseOrThrow(fileStreamSourceConfigDef, config);
  return {
    file: values.string(FileSourceKeys.FILE),
    topic: values.string(FileSourceKeys.TOPIC).trim(),
    batchSize: values.number(FileSourceKeys.BATCH_SIZE),
  };
}
