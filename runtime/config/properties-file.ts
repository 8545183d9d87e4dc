import { readFile } from 'node:fs/promises';
import { SluiceError } from '../errors/sluice-error.js';

/**
 * Java `.properties` text, parsed with the exact rules of `java.util.Properties.load`, so that every
 * worker and connector file written for Kafka Connect means the same thing here.
 *
 * Files are decoded as UTF-8 (like Connect's FileConfigProvider); `\uXXXX` escapes work either way.
 */

/** Thrown by `parseProperties`; `line` is the 1-based physical line where the bad logical line starts. */
export class PropertiesSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(message);
    this.name = 'PropertiesSyntaxError';
  }
}

interface LogicalLine {
  readonly text: string;
  readonly line: number;
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\f';
const isLineEnd = (c: string): boolean => c === '\n' || c === '\r';

/**
 * Splits text into logical lines: comments and blank lines dropped, a line ending in an odd number of
 * backslashes joined with the next one (whose leading whitespace is skipped), as Properties.LineReader does.
 */
function logicalLines(text: string): LogicalLine[] {
  const lines: LogicalLine[] = [];
  let physicalLine = 1;
  let i = 0;
  while (i < text.length) {
    // Skip leading whitespace and empty lines of a new logical line.
    while (i < text.length && (isBlank(text[i]!) || isLineEnd(text[i]!))) {
      if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) physicalLine++;
      i++;
    }
    if (i >= text.length) break;
    const startLine = physicalLine;
    if (text[i] === '#' || text[i] === '!') {
      // A comment runs to the end of its physical line; a trailing backslash does not continue it.
      while (i < text.length && !isLineEnd(text[i]!)) i++;
      continue;
    }
    let out = '';
    for (;;) {
      let chunkEnd = i;
      while (chunkEnd < text.length && !isLineEnd(text[chunkEnd]!)) chunkEnd++;
      const chunk = text.slice(i, chunkEnd);
      let backslashes = 0;
      for (let k = chunk.length - 1; k >= 0 && chunk[k] === '\\'; k--) backslashes++;
      const continues = backslashes % 2 === 1;
      out += continues ? chunk.slice(0, -1) : chunk;
      i = chunkEnd;
      if (i < text.length) {
        // Consume the line terminator: \n, \r or \r\n.
        if (text[i] === '\r' && text[i + 1] === '\n') i++;
        i++;
        physicalLine++;
      }
      if (!continues || i >= text.length) break;
      while (i < text.length && isBlank(text[i]!)) i++;
    }
    lines.push({ text: out, line: startLine });
  }
  return lines;
}

/** Resolves `\t \n \r \f \uXXXX` and drops the backslash before any other character. */
function unescape(text: string, line: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= text.length) break;
    const e = text[i]!;
    if (e === 'u') {
      const hex = text.slice(i + 1, i + 5);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new PropertiesSyntaxError(line, 'Malformed \\uxxxx encoding.');
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else if (e === 't') out += '\t';
    else if (e === 'n') out += '\n';
    else if (e === 'r') out += '\r';
    else if (e === 'f') out += '\f';
    else out += e;
  }
  return out;
}

/** Splits one logical line at the first unescaped `=`, `:` or whitespace, like Properties.load0. */
function splitKeyValue(text: string): { key: string; value: string } {
  let keyEnd = 0;
  let valueStart = text.length;
  let hasSeparator = false;
  let escaped = false;
  for (; keyEnd < text.length; keyEnd++) {
    const c = text[keyEnd]!;
    if (escaped) {
      escaped = false;
      continue;
    }
    if (c === '\\') escaped = true;
    else if (c === '=' || c === ':') {
      valueStart = keyEnd + 1;
      hasSeparator = true;
      break;
    } else if (isBlank(c)) {
      valueStart = keyEnd + 1;
      break;
    }
  }
  while (valueStart < text.length) {
    const c = text[valueStart]!;
    if (!isBlank(c)) {
      if (!hasSeparator && (c === '=' || c === ':')) hasSeparator = true;
      else break;
    }
    valueStart++;
  }
  return { key: text.slice(0, keyEnd), value: text.slice(Math.min(valueStart, text.length)) };
}

/** Parses `.properties` text; a later duplicate key wins. Throws PropertiesSyntaxError on a bad `\u` escape. */
export function parseProperties(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const { text: lineText, line } of logicalLines(text)) {
    const { key, value } = splitKeyValue(lineText);
    props[unescape(key, line)] = unescape(value, line);
  }
  return props;
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new SluiceError('CONFIG_FILE_NOT_FOUND', [path, reason], { cause: error });
  }
}

/** Reads and parses a `.properties` file (worker configs). */
export async function readPropertiesFile(path: string): Promise<Record<string, string>> {
  const text = await readText(path);
  try {
    return parseProperties(text);
  } catch (error) {
    if (error instanceof PropertiesSyntaxError)
      throw new SluiceError('CONFIG_FILE_MALFORMED', [path, error.line, error.message], { cause: error });
    throw error;
  }
}

export type InitialConnectorState = 'RUNNING' | 'PAUSED' | 'STOPPED';

/** A connector definition read from a file given on the command line. */
export interface ConnectorFile {
  readonly name: string;
  readonly config: Record<string, string>;
  readonly initialState?: InitialConnectorState;
}

function lineColumnAt(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, Math.min(position, text.length)));
  const lines = before.split('\n');
  return { line: lines.length, column: lines[lines.length - 1]!.length + 1 };
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const match = /at position (\d+)/.exec(message);
    const lineMatch = /\(line (\d+) column (\d+)\)/.exec(message);
    const where = lineMatch
      ? { line: Number(lineMatch[1]), column: Number(lineMatch[2]) }
      : lineColumnAt(text, match ? Number(match[1]) : text.length);
    throw new SluiceError('CONFIG_FILE_MALFORMED', [path, `${where.line}:${where.column}`, message], {
      cause: error,
    });
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Connect's JSON binding coerces scalars into strings; objects, arrays and null are refused, naming the key. */
function stringMap(path: string, object: Record<string, unknown>, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (typeof value === 'string') out[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else
      throw new SluiceError('CONFIG_FILE_MALFORMED', [
        path,
        where,
        `the value of "${key}" must be a string, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`,
      ]);
  }
  return out;
}

function connectorFromJson(path: string, text: string): ConnectorFile {
  const parsed = parseJson(path, text);
  if (!isPlainObject(parsed))
    throw new SluiceError('CONFIG_FILE_MALFORMED', [path, '1:1', 'expected a JSON object']);
  // `{name, config}` (Connect's CreateConnectorRequest) when `config` is an object; otherwise a flat config.
  if (isPlainObject(parsed.config)) {
    if (typeof parsed.name !== 'string' || parsed.name === '')
      throw new SluiceError('CONFIG_FILE_MALFORMED', [
        path,
        'name',
        'the connector "name" must be a non-empty string',
      ]);
    const config = stringMap(path, parsed.config, 'config');
    if (config.name !== undefined && config.name !== parsed.name) {
      throw new SluiceError('CONFIG_FILE_MALFORMED', [
        path,
        'config.name',
        "Connector name configuration in 'config' doesn't match the one specified in 'name'",
      ]);
    }
    config.name = parsed.name;
    const state = parsed.initial_state;
    if (state === undefined || state === null) return { name: parsed.name, config };
    const upper = typeof state === 'string' ? state.toUpperCase() : '';
    if (upper !== 'RUNNING' && upper !== 'PAUSED' && upper !== 'STOPPED') {
      throw new SluiceError('CONFIG_FILE_MALFORMED', [
        path,
        'initial_state',
        'initial_state must be one of RUNNING, PAUSED, STOPPED',
      ]);
    }
    return { name: parsed.name, config, initialState: upper };
  }
  const config = stringMap(path, parsed, 'config');
  return { name: requireName(path, config), config };
}

function requireName(path: string, config: Record<string, string>): string {
  const name = config.name;
  if (name === undefined || name.trim() === '') {
    throw new SluiceError('CONFIG_FILE_MALFORMED', [
      path,
      'name',
      "Connector configuration is missing the mandatory 'name' configuration",
    ]);
  }
  return name;
}

/**
 * Reads a connector definition: a `.json` file holding `{name, config, initial_state?}` or a flat config
 * object, or (any other extension) a `.properties` file. The config always carries `name`.
 */
export async function readConnectorFile(path: string): Promise<ConnectorFile> {
  if (path.toLowerCase().endsWith('.json')) return connectorFromJson(path, await readText(path));
  const config = await readPropertiesFile(path);
  return { name: requireName(path, config), config };
}
