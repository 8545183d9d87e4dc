import { ConfigValues } from '../../runtime/api/index.js';
import type { ConfigDef, ConnectorConfig } from '../../runtime/api/index.js';

/** Kafka Connect's FileStreamSinkConnector key. */
export const FileSinkKeys = {
  FILE: 'file',
} as const;

export const fileStreamSinkConfigDef: ConfigDef = {
  [FileSinkKeys.FILE]: {
    type: 'string',
    importance: 'high',
    // Required, unlike Connect's stdout fallback: a worker's stdout carries its log.
    documentation:
      'Destination filename. Each record value is appended as one line; the file is created when missing. All tasks of the connector append to the same file.',
    validator: { nonEmpty: true },
    displayName: 'File',
  },
};

export interface FileStreamSinkSettings {
  readonly file: string;
}

export function fileStreamSinkSettings(config: ConnectorConfig): FileStreamSinkSettings {
  const values = ConfigValues.parseOrThrow(fileStreamSinkConfigDef, config);
  return { file: values.string(FileSinkKeys.FILE) };
}
