import { ConfigValues } from '../../runtime/api/index.js';
import type { ConfigDef, ConnectorConfig } from '../../runtime/api/index.js';

/** Kafka Connect's FileStreamSinkConnector key, and Sluice's delivery guarantee. */
export const FileSinkKeys = {
  FILE: 'file',
  DELIVERY_GUARANTEE: 'delivery.guarantee',
} as const;

export const DELIVERY_GUARANTEES = ['exactly_once', 'at_least_once'] as const;
export type DeliveryGuarantee = (typeof DELIVERY_GUARANTEES)[number];

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
  [FileSinkKeys.DELIVERY_GUARANTEE]: {
    type: 'string',
    default: 'exactly_once',
    importance: 'medium',
    documentation:
      "`exactly_once`: after each fsync the sink records the file length and the next offset of each partition in `<file>.sluice-state`; on start it cuts the file back to that length and resumes from those offsets, so a crash never duplicates a line. Every writer of the file must then run in one worker process (a `<file>.sluice-lock` file enforces it). `at_least_once`: plain appends, as Connect's FileStreamSink (a crash may repeat lines); needed when tasks on several workers append to one file.",
    validator: { oneOf: DELIVERY_GUARANTEES },
    displayName: 'Delivery guarantee',
  },
};

export interface FileStreamSinkSettings {
  /** null (or blank): the worker's standard output, as in Connect. */
  readonly file: string | null;
  readonly deliveryGuarantee: DeliveryGuarantee;
}

export function fileStreamSinkSettings(config: ConnectorConfig): FileStreamSinkSettings {
  const values = ConfigValues.parseOrThrow(fileStreamSinkConfigDef, config);
  const file = values.optionalString(FileSinkKeys.FILE);
  return {
    file: file === null || file.trim() === '' ? null : file,
    deliveryGuarantee: values
      .string(FileSinkKeys.DELIVERY_GUARANTEE)
      .trim()
      .toLowerCase() as DeliveryGuarantee,
  };
}
