import { SluiceError } from '../errors/sluice-error.js';

/**
 * A data problem found while converting one value (Connect's DataException). Converters throw it from
 * deep inside the conversion and wrap it once, at their public boundary, into a CONVERSION_FAILED
 * SluiceError that names the converter and the topic.
 */
export class DataProblem extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataProblem';
  }
}

export function conversionFailed(converterName: string, topic: string, error: unknown): SluiceError {
  if (error instanceof SluiceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SluiceError('CONVERSION_FAILED', [converterName, topic, message], { cause: error });
}

/** Connect-style name of a JS value's kind, used in error messages. */
export function describeJsType(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value !== 'object') return typeof value;
  if (Array.isArray(value)) return 'array';
  if (Buffer.isBuffer(value)) return 'Buffer';
  return value.constructor?.name ?? 'object';
}
