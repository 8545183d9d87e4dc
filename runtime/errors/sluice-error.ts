import { ErrorCodes, type ErrorCode } from './codes.js';

function fillTemplate(template: string, args: readonly (string | number)[]): string {
  let next = 0;
  return template.replace(/%s/g, () => (next < args.length ? String(args[next++]) : '%s'));
}

export interface SluiceErrorOptions {
  readonly cause?: unknown;
}

/** The one error class Sluice throws; its code decides the HTTP status and whether a retry may help. */
export class SluiceError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;

  constructor(code: ErrorCode, args: readonly (string | number)[] = [], options: SluiceErrorOptions = {}) {
    super(
      fillTemplate(ErrorCodes[code].message, args),
      options.cause === undefined ? {} : { cause: options.cause },
    );
    this.name = 'SluiceError';
    this.code = code;
    this.status = ErrorCodes[code].status;
    this.retryable = ErrorCodes[code].retryable;
  }
}

export function sluiceError(code: ErrorCode, ...args: (string | number)[]): SluiceError {
  return new SluiceError(code, args);
}

/** True when retrying the operation that threw `error` may succeed. Unknown errors are not retried. */
export function isRetryable(error: unknown): boolean {
  return error instanceof SluiceError && error.retryable;
}

/**
 * The error's stack, with a SluiceError's code after its name as Node writes its own errors
 * (`SluiceError [S3_ACCESS_DENIED]: ...`), so every FAILED trace names its code.
 */
function stackOf(error: Error): string {
  const stack = error.stack ?? String(error);
  if (!(error instanceof SluiceError)) return stack;
  const head = `${error.name}: `;
  return stack.startsWith(head) ? `${error.name} [${error.code}]: ${stack.slice(head.length)}` : stack;
}

/** Renders an error with its cause chain, the way a FAILED status `trace` shows it. */
export function traceOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth++) {
    if (current instanceof Error) {
      parts.push(depth === 0 ? stackOf(current) : `Caused by: ${stackOf(current)}`);
      current = (current as { cause?: unknown }).cause;
    } else {
      parts.push(depth === 0 ? String(current) : `Caused by: ${String(current)}`);
      break;
    }
  }
  return parts.join('\n');
}
