/**
 * pino writes one JSON object per line; people at a terminal read `time LEVEL logger message key=value`.
 * This destination turns the first into the second (pino-pretty does the same through a worker thread,
 * which costs the startup time `sluice` promises to keep short).
 */
const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

const LEVEL_COLOURS: Record<string, string> = {
  TRACE: '\x1b[90m',
  DEBUG: '\x1b[36m',
  INFO: '\x1b[32m',
  WARN: '\x1b[33m',
  ERROR: '\x1b[31m',
  FATAL: '\x1b[35m',
};

/** Fields every pino line has that the text layout already shows (or that say nothing to a person). */
const LAYOUT_FIELDS = new Set(['level', 'time', 'msg', 'logger', 'pid', 'hostname']);

function fieldText(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return /[\s"=]/.test(text) ? JSON.stringify(text) : text;
}

/** One pino JSON line as text; a line that is not JSON is passed on unchanged. */
export function formatLogLine(line: string, colour: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = LEVEL_NAMES[Number(entry['level'])] ?? String(entry['level']);
  const time = typeof entry['time'] === 'number' ? new Date(entry['time']).toISOString() : '';
  const shownLevel = colour ? `${LEVEL_COLOURS[level] ?? ''}${level.padEnd(5)}\x1b[0m` : level.padEnd(5);
  const logger = typeof entry['logger'] === 'string' ? ` [${entry['logger']}]` : '';
  const fields = Object.entries(entry)
    .filter(([k, v]) => !LAYOUT_FIELDS.has(k) && k !== 'stack' && v !== undefined)
    .map(([k, v]) => `${k}=${fieldText(v)}`);
  const stack = typeof entry['stack'] === 'string' ? `\n${entry['stack']}` : '';
  return `${time} ${shownLevel}${logger} ${String(entry['msg'] ?? '')}${fields.length > 0 ? ` ${fields.join(' ')}` : ''}${stack}\n`;
}

/** A pino destination writing text lines to `target` (stdout by default). */
export class TextLogStream {
  constructor(
    private readonly target: NodeJS.WritableStream = process.stdout,
    private readonly colour = false,
  ) {}

  write(chunk: string): boolean {
    return this.target.write(formatLogLine(chunk.replace(/\n$/, ''), this.colour));
  }
}

export type LogFormat = 'json' | 'text';

/**
 * `log.format` from the worker file, else SLUICE_LOG_FORMAT, else text on a terminal and JSON otherwise
 * (a supervisor, a container runtime and log shippers want JSON).
 */
export function logFormatFrom(raw: Readonly<Record<string, string>>): LogFormat {
  const chosen = (raw['log.format'] ?? process.env['SLUICE_LOG_FORMAT'] ?? '').trim().toLowerCase();
  if (chosen === 'json' || chosen === 'text') return chosen;
  return process.stdout.isTTY === true ? 'text' : 'json';
}
