import type { logCreator } from 'kafkajs';
import { logLevel } from './kafkajs-library.js';
import type { Logger } from '../api/logger.js';
import { RepeatLimiter } from '../logging/repeat-limiter.js';

/**
 * kafkajs lines that a healthy cluster produces (a coordinator moving, a socket closed under a request
 * while a member leaves): kafkajs retries and recovers, so they are debugging detail, not alarms.
 */
const HEALTHY_NOISE = [
  /^Response /,
  /KafkaJSGroupCoordinatorNotFound/,
  /write after end/,
  /The group is rebalancing/,
  /There is no leader for this topic-partition/,
];

/** The cause of a line, for rate limiting: its message without numbers (ports, ids, retry counts). */
const causeOf = (level: number, message: string): string => `${level}:${message.replace(/\d+/g, '#')}`;

/**
 * Routes kafkajs's own log lines into the worker's logger: warnings and errors only, healthy-cluster
 * noise demoted to DEBUG, stack traces dropped (the message names the error), and each cause written at
 * most once per 30 s with a count of the lines held back.
 */
export function kafkajsLogCreator(logger: Logger, limiter = new RepeatLimiter()): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...fields } = log as typeof log & { stack?: unknown };
      delete fields.stack;
      const text = String(message);
      if (HEALTHY_NOISE.some((p) => p.test(text) || p.test(String(fields['error'] ?? '')))) {
        logger.debug(`kafka: ${text}`, fields);
        return;
      }
      if (level !== logLevel.ERROR && level !== logLevel.WARN) return;
      const held = limiter.admit(causeOf(level, text));
      if (held === null) return;
      const withCount = held > 0 ? { ...fields, repeated: held } : fields;
      if (level === logLevel.ERROR) logger.error(`kafka: ${text}`, withCount);
      else logger.warn(`kafka: ${text}`, withCount);
    };
}

export const KAFKAJS_LOG_LEVEL = logLevel.WARN;
