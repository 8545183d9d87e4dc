/**
 * Errors a plugin throws. A RETRIABLE error makes the runtime retry (put redelivers the batch, poll is
 * called again); any other error fails the task with its message and trace.
 */
export { SluiceError, isRetryable, sluiceError } from '../errors/sluice-error.js';
export { ErrorCodes, type ErrorCode } from '../errors/codes.js';

import { SluiceError } from '../errors/sluice-error.js';

export function retriableError(message: string, cause?: unknown): SluiceError {
  return new SluiceError('RETRIABLE', [message], { cause });
}

export function connectError(message: string, cause?: unknown): SluiceError {
  return new SluiceError('CONNECT_ERROR', [message], { cause });
}
