import type { ConnectorConfig } from '../api/connector.js';
import type { Logger } from '../api/logger.js';
import type { ErrantRecordReporter } from '../api/task.js';
import type { ConnectorTaskId } from '../cluster/rest-types.js';
import { ConsumedRecordIndex } from '../errors/consumed-record.js';
import { createErrorReporters } from '../errors/create-error-reporters.js';
import { createErrantRecordReporter, needsErrantRecordReporter } from '../errors/errant-record-reporter.js';
import { ErrorHandler } from '../errors/error-handler.js';
import { parseErrorHandlingConfig } from '../errors/error-handling-config.js';
import { ErrorHandlingMetrics } from '../errors/error-handling-metrics.js';
import { KafkaDeadLetterQueueProducer } from '../kafka/dead-letter-queue-producer.js';
import { securityProperties } from '../kafka/security-config.js';
import type { KafkaClient } from '../kafka/types.js';
import { DLQ_ADMIN_CLIENT_ID, taskClientId } from './task-client-ids.js';

export interface TaskErrorHandling {
  readonly handler: ErrorHandler;
  readonly stopSignal: AbortController;
  readonly errantRecordReporter: ErrantRecordReporter | null;
  readonly consumedIndex: ConsumedRecordIndex | null;
}

/** Wires a task's errors.* settings: retry/tolerance handler, log reporter, and for sinks the DLQ and errant record reporter. */
export async function createTaskErrorHandling(args: {
  readonly connectorConfig: ConnectorConfig;
  readonly id: ConnectorTaskId;
  readonly kind: 'source' | 'sink';
  readonly taskClass: string;
  readonly logger: Logger;
  readonly kafka: KafkaClient;
  /** The task's client overrides (worker `producer.*`/`admin.*` with the connector's `*.override.*`), for the DLQ's clients. */
  readonly producerOverrides?: Readonly<Record<string, string>>;
  readonly adminOverrides?: Readonly<Record<string, string>>;
}): Promise<TaskErrorHandling> {
  const config = parseErrorHandlingConfig(args.connectorConfig);
  const metrics = new ErrorHandlingMetrics();
  const stopSignal = new AbortController();
  const wantsDlq = args.kind === 'sink' && config.deadLetterQueueTopic !== '';
  const deadLetterQueueProducer = wantsDlq
    ? // Only the overrides' security keys: the DLQ clients reach the cluster as the task does, with their own acks.
      new KafkaDeadLetterQueueProducer(
        await args.kafka.producer({
          clientId: taskClientId('dlq-producer', args.id),
          overrides: securityProperties(args.producerOverrides ?? {}),
        }),
        () =>
          args.kafka.admin({
            clientId: DLQ_ADMIN_CLIENT_ID,
            overrides: securityProperties(args.adminOverrides ?? {}),
          }),
      )
    : undefined;
  const reporters = await createErrorReporters(config, {
    logger: args.logger,
    metrics,
    ...(deadLetterQueueProducer ? { deadLetterQueueProducer } : {}),
  });
  const handler = ErrorHandler.fromConfig(config, reporters, { metrics, signal: stopSignal.signal });
  if (args.kind === 'source') return { handler, stopSignal, errantRecordReporter: null, consumedIndex: null };
  if (!needsErrantRecordReporter(config))
    return { handler, stopSignal, errantRecordReporter: null, consumedIndex: null };
  const consumedIndex = new ConsumedRecordIndex();
  const errantRecordReporter = createErrantRecordReporter({
    handler,
    connector: args.id.connector,
    taskId: args.id.task,
    executingClass: args.taskClass,
    lookupConsumedRecord: (record) => consumedIndex.lookup(record),
  });
  return { handler, stopSignal, errantRecordReporter, consumedIndex };
}
