import { SluiceError } from '../../errors/sluice-error.js';

/** Connect's DataException: the record's data does not fit what the transform needs. */
export function dataError(message: string, cause?: unknown): SluiceError {
  return new SluiceError('DATA_INVALID', [message], { cause });
}

/** Connect's ConfigException(message): a problem not tied to one key. */
export function configError(message: string): SluiceError {
  return new SluiceError('CONFIG_INVALID', [message]);
}

export interface ConfigKeyProblem {
  readonly key: string;
  readonly value: string;
  readonly reason: string;
}

/** Lets the transform chain re-attribute a configure() failure to the prefixed connector key. */
const keyProblems = new WeakMap<SluiceError, ConfigKeyProblem>();

/** Connect's ConfigException(name, value, message): "Invalid value <value> for configuration <key>: <reason>". */
export function keyedConfigError(key: string, value: unknown, reason: string): SluiceError {
  const shown = value === null || value === undefined ? 'null' : String(value);
  const error = new SluiceError('CONFIG_INVALID_VALUE', [shown, key, reason]);
  keyProblems.set(error, { key, value: shown, reason });
  return error;
}

export function configKeyProblemOf(error: unknown): ConfigKeyProblem | undefined {
  return error instanceof SluiceError ? keyProblems.get(error) : undefined;
}
