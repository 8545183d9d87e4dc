import type { logCreator } from 'kafkajs';
import { logLevel } from './kafkajs-library.js';
import type { Logger } from '../api/logger.js';

/** Routes kafkajs's own log lines into the worker's logger (warnings and errors only). */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...fields } = log;
      // kafkajs logs every error response (e.g. metadata for a topic not created yet) at ERROR even
      // when it retries and recovers; those are debugging detail, not operator alarms.
      if (typeof message === 'string' && message.startsWith('Response '))
        logger.debug(`kafka: ${message}`, fields);
      else if (level === logLevel.ERROR) logger.error(`kafka: ${message}`, fields);
      else if (level === logLevel.WARN) logger.warn(`kafka: ${message}`, fields);
    };
}

export const KAFKAJS_LOG_LEVEL = logLevel.WARN;
