import type { JobType } from '../api/job.js';
import type { JsonObject } from '../api/json.js';
import { SluiceError } from '../errors/sluice-error.js';

/**
 * One job type name served by several implementations, chosen by a config key: `backfill` reads PostgreSQL or
 * Cassandra (`source=postgres|cassandra`). Each variant keeps its own schema, plan and units; the config schema
 * checks the chosen variant's (ajv's if/then), so an error still names the variant's key.
 */
export function variantJobType(args: {
  readonly name: string;
  readonly description: string;
  /** The key that chooses, e.g. `source`. */
  readonly key: string;
  /** The variant used when the key is absent. */
  readonly defaultVariant: string;
  readonly variants: Readonly<Record<string, JobType>>;
}): JobType {
  const { key, defaultVariant, variants } = args;
  const names = Object.keys(variants);
  const variantOf = (config: Readonly<Record<string, string>>): JobType => {
    const chosen = (config[key] ?? defaultVariant).trim();
    const type = variants[chosen];
    if (type === undefined)
      throw new SluiceError('JOB_CONFIG_INVALID', [args.name, `'${key}' must be one of ${names.join(', ')}`]);
    return type;
  };
  const configSchema: JsonObject = {
    type: 'object',
    required: [],
    properties: { [key]: { type: 'string', enum: names } },
    allOf: names.map((name): JsonObject => ({
      // The default variant also applies when the key is absent (`properties` alone then holds).
      if: {
        properties: { [key]: { const: name } },
        required: name === defaultVariant ? [] : [key],
      },
      then: variants[name]!.configSchema,
    })),
  };
  return {
    name: args.name,
    description: args.description,
    configSchema,
    plan: (config, logger) => variantOf(config).plan(config, logger),
    runUnit: (config, unit, context) => variantOf(config).runUnit(config, unit, context),
  };
}
