import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { restBodySchemas } from '../schemas/rest-bodies.js';
import { SluiceError } from '../runtime/errors/sluice-error.js';
import type { RestBodyName } from './route-spec.js';

function unescapePointerSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Describes one ajv error so that the offending key is named first, e.g. `'tasks.max' (at /config/tasks.max) must be string`. */
function describeError(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map(unescapePointerSegment);
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty?: unknown }).missingProperty);
    const at = segments.length === 0 ? 'the request body' : `'${segments.join('.')}'`;
    return `'${missing}' is required in ${at}`;
  }
  if (segments.length === 0) return `the request body ${error.message ?? 'is invalid'}`;
  const key = segments[segments.length - 1];
  const where = segments.length > 1 ? ` (at ${error.instancePath})` : '';
  if (error.keyword === 'type') {
    const types = (error.params as { type?: unknown }).type;
    const expected = Array.isArray(types) ? types.join(', ') : String(types);
    return `'${key}'${where} must be of type ${expected}`;
  }
  return `'${key}'${where} ${error.message ?? 'is invalid'}`;
}

/** Validates REST bodies against schemas/rest-bodies.ts; a failure is a 400 INVALID_REQUEST naming the key. */
export class BodyValidator {
  private readonly validators: ReadonlyMap<RestBodyName, ValidateFunction>;

  constructor() {
    const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
    const entries = Object.entries(restBodySchemas).map(
      ([name, schema]) => [name as RestBodyName, ajv.compile(schema)] as const,
    );
    this.validators = new Map(entries);
  }

  assertValid(name: RestBodyName, body: unknown): void {
    const validate = this.validators.get(name);
    if (validate === undefined) throw new SluiceError('INTERNAL', [`no schema named ${name}`]);
    if (validate(body)) return;
    const first = validate.errors?.[0];
    const detail = first === undefined ? 'the request body is invalid' : describeError(first);
    throw new SluiceError('INVALID_REQUEST', [`Invalid request body: ${detail}`]);
  }
}
