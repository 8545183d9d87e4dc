import type { ConfigDef } from '../api/config-def.js';
import type { ConnectorConfig } from '../api/connector.js';
import { ConfigValues } from '../api/config-values.js';
import { SluiceError } from './sluice-error.js';

export const ToleranceTypes = ['none', 'all'] as const;
/** `none`: the first failure fails the task. `all`: failed records are reported and skipped. */
export type ToleranceType = (typeof ToleranceTypes)[number];

export const ErrorHandlingKeys = {
  retryTimeout: 'errors.retry.timeout',
  retryMaxDelay: 'errors.retry.delay.max.ms',
  tolerance: 'errors.tolerance',
  logEnable: 'errors.log.enable',
  logIncludeMessages: 'errors.log.include.messages',
  dlqTopicName: 'errors.deadletterqueue.topic.name',
  dlqReplicationFactor: 'errors.deadletterqueue.topic.replication.factor',
  dlqContextHeadersEnable: 'errors.deadletterqueue.context.headers.enable',
} as const;

const group = 'Error Handling';

/** The `errors.*` connector properties with Kafka Connect's names, defaults and meaning. */
export const errorHandlingConfigDef: ConfigDef = {
  [ErrorHandlingKeys.retryTimeout]: {
    type: 'long',
    default: 0,
    importance: 'medium',
    group,
    orderInGroup: 1,
    displayName: 'Retry Timeout for Errors',
    documentation:
      'The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.',
    validator: { min: -1 },
  },
  [ErrorHandlingKeys.retryMaxDelay]: {
    type: 'long',
    default: 60000,
    importance: 'medium',
    group,
    orderInGroup: 2,
    displayName: 'Maximum Delay Between Retries for Errors',
    documentation:
      'The maximum duration in milliseconds between consecutive retry attempts. Delays grow exponentially from 300 ms with random jitter up to this bound.',
    validator: { min: 0 },
  },
  [ErrorHandlingKeys.tolerance]: {
    type: 'string',
    default: 'none',
    importance: 'medium',
    group,
    orderInGroup: 3,
    displayName: 'Error Tolerance',
    documentation:
      "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.",
    validator: { oneOf: ToleranceTypes },
  },
  [ErrorHandlingKeys.logEnable]: {
    type: 'boolean',
    default: false,
    importance: 'medium',
    group,
    orderInGroup: 4,
    displayName: 'Log Errors',
    documentation:
      'If true, write each error and the details of the failed operation and problematic record to the Connect application log. This is false by default, so that only errors that are not tolerated are reported.',
  },
  [ErrorHandlingKeys.logIncludeMessages]: {
    type: 'boolean',
    default: false,
    importance: 'medium',
    group,
    orderInGroup: 5,
    displayName: 'Log Error Details',
    documentation:
      'Whether to include in the log the Connect record that resulted in a failure. For sink records, the topic, partition, offset, and timestamp will be logged. For source records, the key and value (and their schemas), all headers, and the timestamp, Kafka topic, Kafka partition, source partition, and source offset will be logged. This is false by default, which will prevent record keys, values, and headers from being written to log files.',
  },
  [ErrorHandlingKeys.dlqTopicName]: {
    type: 'string',
    default: '',
    importance: 'medium',
    group,
    orderInGroup: 6,
    displayName: 'Dead Letter Queue Topic Name',
    documentation:
      'The name of the topic to be used as the dead letter queue (DLQ) for messages that result in an error when processed by this sink connector, or its transformations or converters. The topic name is blank by default, which means that no messages are to be recorded in the DLQ.',
  },
  [ErrorHandlingKeys.dlqReplicationFactor]: {
    type: 'int',
    default: 3,
    importance: 'medium',
    group,
    orderInGroup: 7,
    displayName: 'Dead Letter Queue Topic Replication Factor',
    documentation:
      "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
    validator: { min: -1, max: 32767 },
  },
  [ErrorHandlingKeys.dlqContextHeadersEnable]: {
    type: 'boolean',
    default: false,
    importance: 'medium',
    group,
    orderInGroup: 8,
    displayName: 'Enable Error Context Headers',
    documentation:
      'If true, add headers containing error context to the messages written to the dead letter queue. Their keys all start with `__connect.errors.` so they cannot clash with the headers of the original record.',
  },
};

export interface ErrorHandlingConfig {
  readonly retryTimeoutMs: number;
  readonly retryMaxDelayMs: number;
  readonly tolerance: ToleranceType;
  readonly logEnable: boolean;
  readonly logIncludeMessages: boolean;
  /** Empty when no dead letter queue is configured. */
  readonly deadLetterQueueTopic: string;
  readonly deadLetterQueueReplicationFactor: number;
  readonly deadLetterQueueContextHeaders: boolean;
}

/** Reads the `errors.*` properties of a connector config; throws INVALID_CONFIG naming every bad key. */
export function parseErrorHandlingConfig(config: ConnectorConfig): ErrorHandlingConfig {
  const values = ConfigValues.parse(errorHandlingConfigDef, config);
  if (values.issues.length > 0) {
    throw new SluiceError('INVALID_CONFIG', [
      values.issues.length,
      values.issues.map((i) => i.message).join('\n'),
    ]);
  }
  return {
    retryTimeoutMs: values.number(ErrorHandlingKeys.retryTimeout),
    retryMaxDelayMs: values.number(ErrorHandlingKeys.retryMaxDelay),
    tolerance: values.string(ErrorHandlingKeys.tolerance).trim().toLowerCase() as ToleranceType,
    logEnable: values.boolean(ErrorHandlingKeys.logEnable),
    logIncludeMessages: values.boolean(ErrorHandlingKeys.logIncludeMessages),
    deadLetterQueueTopic: values.string(ErrorHandlingKeys.dlqTopicName).trim(),
    deadLetterQueueReplicationFactor: values.number(ErrorHandlingKeys.dlqReplicationFactor),
    deadLetterQueueContextHeaders: values.boolean(ErrorHandlingKeys.dlqContextHeadersEnable),
  };
}
