import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Logger } from '../../../runtime/api/logger.js';
import { kafkajsLogCreator } from '../../../runtime/kafka/kafkajs-logging.js';
import { logLevel } from '../../../runtime/kafka/kafkajs-library.js';
import { RepeatLimiter } from '../../../runtime/logging/repeat-limiter.js';
import { formatLogLine } from '../../../runtime/logging/text-log-stream.js';

describe('text log format', () => {
  test('a pino line reads as ISO time, level name, logger, message and fields', () => {
    const line = JSON.stringify({
      level: 40,
      time: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
      pid: 1,
      hostname: 'h',
      logger: 'sluice.worker',
      key: 'bootstrap.server',
      msg: 'Unknown worker configuration',
    });
    assert.equal(
      formatLogLine(line, false),
      '2026-01-02T03:04:05.006Z WARN  [sluice.worker] Unknown worker configuration key=bootstrap.server\n',
    );
    assert.ok(formatLogLine(line, true).includes('\u001b[33mWARN '));
  });
});

describe('kafkajs log lines', () => {
  function recording(): Logger & { lines: string[] } {
    const lines: string[] = [];
    const at =
      (level: string) =>
      (m: string, f?: Record<string, unknown>): void =>
        void lines.push(`${level} ${m}${f?.['repeated'] ? ` (+${String(f['repeated'])})` : ''}`);
    return { lines, debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
  }
  const entry = (level: number, message: string) => ({
    namespace: 'x',
    level,
    label: 'ERROR',
    log: { timestamp: '', logger: 'kafkajs', message, stack: 'Error: at somewhere' },
  });

  test('an outage prints one line per cause per interval with the count held back; healthy noise is DEBUG', () => {
    let now = 0;
    const logger = recording();
    const log = kafkajsLogCreator(logger, new RepeatLimiter(30_000, () => now))(logLevel.WARN);
    for (let i = 0; i < 50; i++)
      log(entry(logLevel.ERROR, `Connection error: connect ECONNREFUSED 127.0.0.1:${9000 + i}`));
    log(entry(logLevel.ERROR, 'Crash: KafkaJSGroupCoordinatorNotFound: Group coordinator not found'));
    now = 31_000;
    log(entry(logLevel.ERROR, 'Connection error: connect ECONNREFUSED 127.0.0.1:9092'));
    assert.deepEqual(logger.lines, [
      'ERROR kafka: Connection error: connect ECONNREFUSED 127.0.0.1:9000',
      'DEBUG kafka: Crash: KafkaJSGroupCoordinatorNotFound: Group coordinator not found',
      'ERROR kafka: Connection error: connect ECONNREFUSED 127.0.0.1:9092 (+49)',
    ]);
  });
});
