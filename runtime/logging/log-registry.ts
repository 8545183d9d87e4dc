import { pino, type Level, type Logger as PinoLogger } from 'pino';
import type { Logger } from '../api/logger.js';
import type { LogLevels } from '../cluster/log-levels.js';
import type { LoggerLevel } from '../cluster/rest-types.js';
import { SluiceError } from '../errors/sluice-error.js';
import { ConnectorLogBuffer, connectorOfLogger } from './connector-log-buffer.js';
import { type LogFormat, TextLogStream } from './text-log-stream.js';

const LEVELS: Record<string, Level | 'silent'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
  FATAL: 'fatal',
  OFF: 'silent',
};

function toConnectLevel(level: string): string {
  return level === 'silent' ? 'OFF' : level.toUpperCase();
}

/**
 * Named loggers on one pino root, with levels adjustable at run time like Connect's /admin/loggers
 * (setting `a.b` changes `a.b` and every `a.b.*`; `root` changes all).
 */
export class LogRegistry implements LogLevels {
  private readonly root: PinoLogger;
  private readonly loggers = new Map<string, { pino: PinoLogger; lastModified: number | null }>();
  /** The recent lines of connector and task loggers, for GET /connectors/{name}/logs. */
  readonly connectorLogs = new ConnectorLogBuffer();

  constructor(
    options: {
      level?: string;
      destination?: NodeJS.WritableStream;
      /** Fields every line carries, e.g. the MirrorMaker flow when one process serves several. */
      bindings?: Readonly<Record<string, string>>;
      /** `text` for people (time, level name, logger, message), `json` (default) for machines. */
      format?: LogFormat;
    } = {},
  ) {
    const level = LEVELS[(options.level ?? 'INFO').toUpperCase()] ?? 'info';
    const destination =
      options.format === 'text'
        ? new TextLogStream(
            options.destination ?? process.stdout,
            options.destination === undefined && process.stdout.isTTY === true,
          )
        : options.destination;
    const root = destination ? pino({ level }, destination as pino.DestinationStream) : pino({ level });
    this.root = options.bindings ? root.child(options.bindings) : root;
  }

  logger(name: string): Logger {
    let entry = this.loggers.get(name);
    if (entry === undefined) {
      entry = { pino: this.root.child({ logger: name }), lastModified: null };
      this.loggers.set(name, entry);
    }
    const target = entry.pino;
    if (connectorOfLogger(name) !== null) {
      // A connector's or task's line is also kept for `sluice logs`, when its level lets it through.
      const kept = this.connectorLogs;
      const log =
        (level: 'debug' | 'info' | 'warn' | 'error') =>
        (message: string, fields?: Record<string, unknown>): void => {
          if (!target.isLevelEnabled(level)) return;
          target[level](fields ?? {}, message);
          kept.add(
            name,
            level === 'debug' ? 'DEBUG' : level === 'info' ? 'INFO' : level === 'warn' ? 'WARN' : 'ERROR',
            message,
            fields,
          );
        };
      return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
    }
    return {
      debug: (message, fields) => target.debug(fields ?? {}, message),
      info: (message, fields) => target.info(fields ?? {}, message),
      warn: (message, fields) => target.warn(fields ?? {}, message),
      error: (message, fields) => target.error(fields ?? {}, message),
    };
  }

  all(): Record<string, LoggerLevel> {
    const out: Record<string, LoggerLevel> = {
      root: { level: toConnectLevel(this.root.level), last_modified: null },
    };
    for (const [name, e] of [...this.loggers].sort(([a], [b]) => a.localeCompare(b))) {
      out[name] = { level: toConnectLevel(e.pino.level), last_modified: e.lastModified };
    }
    return out;
  }

  get(name: string): LoggerLevel {
    if (name === 'root') return { level: toConnectLevel(this.root.level), last_modified: null };
    const e = this.loggers.get(name);
    if (e === undefined) throw new SluiceError('LOGGER_NOT_FOUND', [name]);
    return { level: toConnectLevel(e.pino.level), last_modified: e.lastModified };
  }

  set(name: string, level: string): string[] {
    const pinoLevel = LEVELS[level.toUpperCase()];
    if (pinoLevel === undefined) throw new SluiceError('INVALID_LOG_LEVEL', [level]);
    const changed: string[] = [];
    const now = Date.now();
    if (name === 'root') {
      this.root.level = pinoLevel;
      changed.push('root');
    } else if (!this.loggers.has(name)) {
      this.logger(name);
    }
    for (const [loggerName, e] of this.loggers) {
      if (name === 'root' || loggerName === name || loggerName.startsWith(`${name}.`)) {
        e.pino.level = pinoLevel;
        e.lastModified = now;
        changed.push(loggerName);
      }
    }
    return changed.sort();
  }
}
