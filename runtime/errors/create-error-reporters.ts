import type { Logger } from '../api/logger.js';
import { DeadLetterQueueReporter, type DeadLetterQueueProducer } from './dead-letter-queue-reporter.js';
import type { ErrorHandlingConfig } from './error-handling-config.js';
import type { ErrorHandlingMetrics } from './error-handling-metrics.js';
import type { ErrorReporter } from './error-reporter.js';
import { LogReporter } from './log-reporter.js';

export interface ErrorReporterDependencies {
  readonly logger: Logger;
  readonly metrics: ErrorHandlingMetrics;
  /** Sink tasks only; a dead letter queue is a sink feature in Connect. */
  readonly deadLetterQueueProducer?: DeadLetterQueueProducer;
}

/** The reporters the errors.* settings ask for: the log one, then (sinks) the dead letter queue. */
export async function createErrorReporters(
  config: ErrorHandlingConfig,
  dependencies: ErrorReporterDependencies,
): Promise<ErrorReporter[]> {
  const { logger, metrics, deadLetterQueueProducer } = dependencies;
  const reporters: ErrorReporter[] = [];
  if (config.logEnable)
    reporters.push(new LogReporter({ logger, includeMessages: config.logIncludeMessages, metrics }));
  if (config.deadLetterQueueTopic !== '' && deadLetterQueueProducer !== undefined) {
    reporters.push(
      await DeadLetterQueueReporter.create({
        producer: deadLetterQueueProducer,
        topic: config.deadLetterQueueTopic,
        replicationFactor: config.deadLetterQueueReplicationFactor,
        contextHeaders: config.deadLetterQueueContextHeaders,
        metrics,
        logger,
      }),
    );
  }
  return reporters;
}
