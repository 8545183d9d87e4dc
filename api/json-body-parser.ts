import { SluiceError } from '../runtime/errors/sluice-error.js';

/** Keys that would let a body reach Object.prototype once a herder merges it with Object.assign. */
function rejectPrototypeKeys(key: string, value: unknown): unknown {
  if (
    key === '__proto__' ||
    (key === 'constructor' && typeof value === 'object' && value !== null && 'prototype' in value)
  ) {
    throw new SluiceError('MALFORMED_JSON', [`the key "${key}" is not allowed`]);
  }
  return value;
}

/**
 * Parses a JSON request body. An empty body is no body (Connect accepts `PUT .../pause` with a JSON
 * content type and nothing else); anything unparsable is a MALFORMED_JSON error (400).
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text, rejectPrototypeKeys);
  } catch (error) {
    if (error instanceof SluiceError) throw error;
    throw new SluiceError('MALFORMED_JSON', [error instanceof Error ? error.message : String(error)]);
  }
}
