import type { Logger } from '../api/logger.js';
import type { ConsumedRecord, RawHeader } from './consumed-record.js';
import type { ErrorHandlingMetrics } from './error-handling-metrics.js';
import type { ErrorReport, ErrorReporter } from './error-reporter.js';
import { errorClassNameOf, errorMessageOf } from './failure-description.js';
import { SluiceError, traceOf } from './sluice-error.js';

/** A record bound for the dead letter queue topic; the partition is left to the producer, as in Connect. */
export interface DeadLetterQueueRecord {
  readonly topic: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: readonly RawHeader[];
  /** epoch ms; absent lets the broker stamp it */
  readonly timestamp?: number;
}

/**
 * The Kafka side of the dead letter queue, implemented in runtime/kafka (the only place that knows the
 * Kafka client); tests use a fake.
 */
export interface DeadLetterQueueProducer {
  /** Resolves when Kafka acknowledged the record. */
  send(record: DeadLetterQueueRecord): Promise<void>;
  /**
   * Creates the topic with 1 partition (Connect's choice for a DLQ) and the given replication factor
   * (-1 = broker default) when it does not exist yet; an existing topic is left as it is.
   */
  ensureTopic(topic: string, replicationFactor: number): Promise<void>;
  close?(): Promise<void>;
}

/** Kafka Connect's DLQ context header names, byte for byte: Connect-aware tools read them. */
export const DeadLetterQueueHeaders = {
  topic: '__connect.errors.topic',
  partition: '__connect.errors.partition',
  offset: '__connect.errors.offset',
  connectorName: '__connect.errors.connector.name',
  taskId: '__connect.errors.task.id',
  stage: '__connect.errors.stage',
  className: '__connect.errors.class.name',
  exceptionClassName: '__connect.errors.exception.class.name',
  exceptionMessage: '__connect.errors.exception.message',
  exceptionStacktrace: '__connect.errors.exception.stacktrace',
} as const;

export interface DeadLetterQueueReporterOptions {
  readonly producer: DeadLetterQueueProducer;
  /** errors.deadletterqueue.topic.name */
  readonly topic: string;
  /** errors.deadletterqueue.context.headers.enable */
  readonly contextHeaders: boolean;
  readonly metrics?: ErrorHandlingMetrics;
  readonly logger?: Logger;
}

function utf8Header(key: string, value: string): RawHeader {
  return { key, value: Buffer.from(value, 'utf8') };
}

/**
 * Sink connectors only: writes the ORIGINAL consumed record — key, value and headers exactly as read,
 * before converters and transforms — to the dead letter queue topic, so it can be replayed once the
 * problem is fixed. With context headers on, appends Connect's `__connect.errors.*` headers.
 */
export class DeadLetterQueueReporter implements ErrorReporter {
  private constructor(private readonly options: DeadLetterQueueReporterOptions) {}

  /** Makes sure the topic exists (created if missing, like Connect's createAndSetup), then returns the reporter. */
  static async create(
    options: DeadLetterQueueReporterOptions & { readonly replicationFactor: number },
  ): Promise<DeadLetterQueueReporter> {
    const { replicationFactor, ...reporterOptions } = options;
    await options.producer.ensureTopic(options.topic, replicationFactor);
    return new DeadLetterQueueReporter(reporterOptions);
  }

  async report(report: ErrorReport): Promise<void> {
    const { metrics, logger, topic } = this.options;
    metrics?.recordDeadLetterQueueProduceRequest();
    const original = report.consumedRecord;
    if (original === undefined) {
      // Nothing raw to write (e.g. a record the task built itself); Connect counts this as a failed request.
      metrics?.recordDeadLetterQueueProduceFailed();
      logger?.warn(
        `No original consumed record to write to dead letter queue topic ${topic}; the failure is only logged`,
        {
          stage: report.stage,
          connector: report.connector,
          task: report.taskId,
        },
      );
      return;
    }
    const record = this.deadLetterRecord(original, report);
    try {
      await this.options.producer.send(record);
    } catch (error) {
      metrics?.recordDeadLetterQueueProduceFailed();
      logger?.error(`Could not produce message to dead letter queue. topic=${topic}`, {
        error: traceOf(error),
      });
      throw new SluiceError('DEAD_LETTER_QUEUE_WRITE_FAILED', [topic, errorMessageOf(error)], {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    await this.options.producer.close?.();
  }

  private deadLetterRecord(original: ConsumedRecord, report: ErrorReport): DeadLetterQueueRecord {
    const headers = this.options.contextHeaders
      ? [...original.headers, ...contextHeaders(original, report)]
      : original.headers;
    return {
      topic: this.options.topic,
      key: original.key,
      value: original.value,
      headers,
      ...(original.timestamp === null || original.timestamp < 0 ? {} : { timestamp: original.timestamp }),
    };
  }
}

/** The `__connect.errors.*` headers, in Connect's order, values as UTF-8 text as Connect writes them. */
export function contextHeaders(original: ConsumedRecord, report: ErrorReport): RawHeader[] {
  const h = DeadLetterQueueHeaders;
  return [
    utf8Header(h.topic, original.topic),
    utf8Header(h.partition, String(original.partition)),
    utf8Header(h.offset, String(original.offset)),
    utf8Header(h.connectorName, report.connector),
    utf8Header(h.taskId, String(report.taskId)),
    utf8Header(h.stage, report.stage),
    utf8Header(h.className, report.executingClass ?? 'unknown'),
    utf8Header(h.exceptionClassName, errorClassNameOf(report.error)),
    utf8Header(h.exceptionMessage, errorMessageOf(report.error)),
    utf8Header(h.exceptionStacktrace, traceOf(report.error)),
  ];
}
