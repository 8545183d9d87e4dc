import type { ConfigDef, ConfigIssue } from '../api/config-def.js';
import { ConfigValues } from '../api/config-values.js';
import type { PredicatePlugin, TransformationPlugin } from '../api/plugin.js';
import type { ConnectRecord } from '../api/records.js';
import type { Predicate, Transformation } from '../api/transformation.js';
import { SluiceError } from '../errors/sluice-error.js';
import { configKeyProblemOf } from './support/errors.js';

/** Finds a plugin by class name or alias (the built-in list, plus any `plugin.path` packages). */
export interface TransformPluginLookup {
  transformation(name: string): TransformationPlugin | undefined;
  predicate(name: string): PredicatePlugin | undefined;
}

/** A connector's configured transforms, applied in order; a stage whose predicate does not hold passes the record on. */
export interface TransformChain {
  /** The transform aliases, in order (`transforms=a,b`). */
  readonly aliases: readonly string[];
  /** The transformed record, or null when a stage dropped it (later stages are skipped). */
  apply<R extends ConnectRecord>(record: R): R | null;
  close(): void;
}

interface Stage {
  readonly alias: string;
  readonly transformation: Transformation;
  readonly predicate: Predicate | null;
  readonly negate: boolean;
}

/** Keys every transform stage has, whatever its type; a plugin's own keys of these names are masked (as in Connect). */
const STAGE_KEYS = new Set(['type', 'plugin.version', 'predicate', 'negate']);

function parseAliases(
  key: string,
  config: Readonly<Record<string, string>>,
  issues: ConfigIssue[],
): string[] {
  const raw = config[key];
  if (raw === undefined || raw.trim() === '') return [];
  const aliases = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (new Set(aliases).size !== aliases.length)
    issues.push({ key, message: `Invalid value ${raw} for configuration ${key}: Duplicate alias provided.` });
  return [...new Set(aliases)];
}

/** Options under `prefix`, without it (Connect's originalsWithPrefix). */
function withPrefix(config: Readonly<Record<string, string>>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(config))
    if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value;
  return out;
}

/** The plugin's ConfigDef with every key under `prefix`, so parse issues name the connector-level key. */
function prefixedDef(def: ConfigDef, prefix: string): ConfigDef {
  const out: Record<string, ConfigDef[string]> = {};
  for (const [key, keyDef] of Object.entries(def)) if (!STAGE_KEYS.has(key)) out[prefix + key] = keyDef;
  return out;
}

function resolve<P extends TransformationPlugin | PredicatePlugin>(
  typeKey: string,
  config: Readonly<Record<string, string>>,
  find: (name: string) => P | undefined,
  issues: ConfigIssue[],
): P | undefined {
  const raw = config[typeKey];
  if (raw === undefined || raw.trim() === '') {
    issues.push({
      key: typeKey,
      message: `Missing required configuration "${typeKey}" which has no default value.`,
    });
    return undefined;
  }
  const plugin = find(raw.trim());
  if (plugin === undefined)
    issues.push({
      key: typeKey,
      message: `Invalid value ${raw.trim()} for configuration ${typeKey}: Class ${raw.trim()} could not be found.`,
    });
  return plugin;
}

/** Checks the plugin's options, then configures a fresh instance; every problem is reported under its full key. */
function configured<T extends Transformation | Predicate>(
  plugin: TransformationPlugin | PredicatePlugin,
  prefix: string,
  config: Readonly<Record<string, string>>,
  issues: ConfigIssue[],
): T | undefined {
  const optionIssues = ConfigValues.parse(prefixedDef(plugin.configDef, prefix), config).issues;
  if (optionIssues.length > 0) {
    issues.push(...optionIssues);
    return undefined;
  }
  const instance = plugin.create() as T;
  const options = withPrefix(config, prefix);
  delete options.predicate;
  delete options.negate;
  delete options['plugin.version'];
  try {
    instance.configure(options);
    return instance;
  } catch (error) {
    const problem = configKeyProblemOf(error);
    if (problem !== undefined) {
      const key = prefix + problem.key;
      issues.push({
        key,
        message: `Invalid value ${problem.value} for configuration ${key}: ${problem.reason}`,
      });
    } else {
      issues.push({ key: `${prefix}type`, message: error instanceof Error ? error.message : String(error) });
    }
    return undefined;
  }
}

interface Plan {
  readonly stages: Stage[];
  readonly issues: ConfigIssue[];
}

function plan(config: Readonly<Record<string, string>>, lookup: TransformPluginLookup): Plan {
  const issues: ConfigIssue[] = [];
  const predicateAliases = parseAliases('predicates', config, issues);
  const predicates = new Map<string, Predicate | undefined>();
  for (const alias of predicateAliases) {
    const prefix = `predicates.${alias}.`;
    const plugin = resolve(`${prefix}type`, config, (name) => lookup.predicate(name), issues);
    predicates.set(
      alias,
      plugin === undefined ? undefined : configured<Predicate>(plugin, prefix, config, issues),
    );
  }

  const stages: Stage[] = [];
  for (const alias of parseAliases('transforms', config, issues)) {
    const prefix = `transforms.${alias}.`;
    const predicateKey = `${prefix}predicate`;
    const negateKey = `${prefix}negate`;
    const predicateAlias = config[predicateKey]?.trim();
    let negate = false;
    if (config[negateKey] !== undefined) {
      if (predicateAlias === undefined) {
        issues.push({
          key: negateKey,
          message: `Config '${negateKey}' was provided but there is no config '${predicateKey}' defining a predicate to be negated.`,
        });
      }
      const text = config[negateKey].trim().toLowerCase();
      if (text !== 'true' && text !== 'false') {
        issues.push({
          key: negateKey,
          message: `Invalid value ${config[negateKey]} for configuration ${negateKey}: Expected value to be either true or false`,
        });
      }
      negate = text === 'true';
    }
    if (predicateAlias !== undefined && !predicates.has(predicateAlias)) {
      issues.push({
        key: predicateKey,
        message: `Invalid value ${predicateAlias} for configuration ${predicateKey}: no predicate with this alias is listed in 'predicates'`,
      });
    }
    const plugin = resolve(`${prefix}type`, config, (name) => lookup.transformation(name), issues);
    const transformation =
      plugin === undefined ? undefined : configured<Transformation>(plugin, prefix, config, issues);
    if (transformation !== undefined) {
      stages.push({
        alias,
        transformation,
        predicate: predicateAlias === undefined ? null : (predicates.get(predicateAlias) ?? null),
        negate,
      });
    }
  }
  return { stages, issues };
}

function closeAll(stages: readonly Stage[]): void {
  for (const stage of stages) stage.transformation.close?.();
}

/** Every problem with the `transforms.*` and `predicates.*` keys, each under its exact key (for REST validation). */
export function transformConfigIssues(
  connectorConfig: Readonly<Record<string, string>>,
  lookup: TransformPluginLookup,
): ConfigIssue[] {
  const { stages, issues } = plan(connectorConfig, lookup);
  closeAll(stages);
  return issues;
}

/** Builds the configured chain; throws a CONFIG_INVALID SluiceError listing each bad key when any is wrong. */
export function buildTransformChain(
  connectorConfig: Readonly<Record<string, string>>,
  lookup: TransformPluginLookup,
): TransformChain {
  const { stages, issues } = plan(connectorConfig, lookup);
  if (issues.length > 0) {
    closeAll(stages);
    throw new SluiceError('CONFIG_INVALID', [issues.map((i) => i.message).join('\n')]);
  }
  return {
    aliases: stages.map((s) => s.alias),
    apply<R extends ConnectRecord>(record: R): R | null {
      let current: R | null = record;
      for (const stage of stages) {
        if (current === null) return null;
        if (stage.predicate === null || stage.negate !== stage.predicate.test(current))
          current = stage.transformation.apply(current);
      }
      return current;
    },
    close: () => closeAll(stages),
  };
}
