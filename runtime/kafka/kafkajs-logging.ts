import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../api/logger.js';

/** Routes kafkajs's own log lines into the worker's logger (warnings and errors only). */
export function kafkajsLogCreator(logger: Logger): logCreator {
  return () => ({ level, log }) => {
    const { message, ...fields } = log;
    if (level === logLevel.ERROR) logger.error(`kafka: ${message}`, fields);
    else if (level === logLevel.WARN) logger.warn(`kafka: ${message}`, fields);
  };
}

export const KAFKAJS_LOG_LEVEL = logLevel.WARN;
