import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JobType } from '../api/job.js';
import { SluiceError } from '../errors/sluice-error.js';

/** One ajv error as a sentence that names the key first: `'table' is required`, `'chunk.size' must match ...`. */
function describe(error: ErrorObject): string {
  if (error.keyword === 'required')
    return `'${String((error.params as { missingProperty?: unknown }).missingProperty)}' is required`;
  if (error.keyword === 'additionalProperties')
    return `'${String((error.params as { additionalProperty?: unknown }).additionalProperty)}' is not a known key`;
  const key = error.instancePath.split('/').slice(1).join('.');
  return key === ''
    ? `the config ${error.message ?? 'is invalid'}`
    : `'${key}' ${error.message ?? 'is invalid'}`;
}

/**
 * The job types this worker can run, by name, each with its config schema compiled once. Every worker of a
 * cluster must know the same types: a unit of a type a worker does not know fails on that worker.
 */
export class JobTypeRegistry {
  private readonly types = new Map<string, { type: JobType; validate: ValidateFunction }>();
  private readonly ajv = new Ajv({ allErrors: false, strict: false, allowUnionTypes: true });

  constructor(types: readonly JobType[] = []) {
    types.forEach((t) => this.register(t));
  }

  register(type: JobType): void {
    if (this.types.has(type.name))
      throw new SluiceError('INTERNAL', [`job type ${type.name} registered twice`]);
    this.types.set(type.name, { type, validate: this.ajv.compile(type.configSchema) });
  }

  names(): string[] {
    return [...this.types.keys()].sort();
  }

  /** The type, or JOB_TYPE_NOT_FOUND (400) listing the known ones. */
  get(name: string): JobType {
    const entry = this.types.get(name);
    if (entry === undefined) throw new SluiceError('JOB_TYPE_NOT_FOUND', [name, this.names().join(', ')]);
    return entry.type;
  }

  /** Checks a config against its type's schema; JOB_CONFIG_INVALID (400) names the first bad key. */
  assertValidConfig(name: string, config: unknown): asserts config is Record<string, string> {
    const entry = this.types.get(name);
    if (entry === undefined) throw new SluiceError('JOB_TYPE_NOT_FOUND', [name, this.names().join(', ')]);
    if (entry.validate(config)) return;
    const first = entry.validate.errors?.[0];
    throw new SluiceError('JOB_CONFIG_INVALID', [name, first === undefined ? 'invalid' : describe(first)]);
  }
}
