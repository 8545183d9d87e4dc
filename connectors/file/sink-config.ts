import { ConfigValues } from '../../runtime/api/index.js';
import type { ConfigDef, ConnectorConfig } from '../../runtime/api/index.js';

/** Kafka Connect's FileStreamSinkConnector key. */
export const FileSinkKeys = {
  FILE: 'file',
} as const;

export const fileStreamSinkConfigDef: ConfigDef = {
  [FileSinkKeys.FILE]: {
    type: 'string',
    // Optional as in Connect: without it, lines go to the worker's standard output.
    default: null,
    importance: 'high',
    documentation:
      'Destination filename. If not specified, the standard output will be used. Each record value is appended as one line; the file is created when missing. All tasks of the connector append to the same file.',
    displayName: 'File',
  },
};

export interface FileStreamSinkSettings {
  /** null (or blank): the worker's standard output, as in Connect. */
  readonly file: string | null;
}

export function fileStreamSinkSettings(config: ConnectorConfig): FileStreamSinkSettings {
  const values = ConfigValues.parseOrThrow(fileStreamSinkConfigDef, config);
  const file = values.optionalString(FileSinkKeys.FILE);
  return { file: file === null || file.trim() === '' ? null : file };
}
