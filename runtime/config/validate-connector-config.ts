import type { ConfigDef, ConfigIssue, ConfigKey } from '../api/config-def.js';
import { ConfigValues } from '../api/config-values.js';
import type { ConfigInfos, ConfigKeyInfo, ConfigValueInfo } from '../cluster/rest-types.js';
import { configKeyInfo, HIDDEN_PASSWORD } from './config-key-info.js';
import {
  aliasTypeDef,
  DEFAULT_TOPIC_CREATION_GROUP,
  sinkConnectorConfigDef,
  sourceConnectorConfigDef,
  TOPIC_CREATION_PREFIX,
  topicCreationGroupDef,
} from './connector-config.js';
import { readTasksMax } from './tasks-max.js';
import { unknownConnectorKeys, unknownKeyMessage } from './unknown-keys.js';
import { SECRET_SECURITY_KEYS } from '../kafka/security-config.js';

/** A client secret under any prefix (`producer.override.sasl.jaas.config`): Connect's PASSWORD keys. */
function isClientSecret(name: string): boolean {
  return [...SECRET_SECURITY_KEYS].some((key) => name === key || name.endsWith(`.${key}`));
}

/**
 * PUT /connector-plugins/{plugin}/config/validate, built like Connect's AbstractHerder.validateConnectorConfig:
 * the base connector keys (enriched with one `transforms.<alias>.*` / `predicates.<alias>.*` block per
 * alias), then the plugin's own keys; every error attached to its key; `error_count` counting messages.
 *
 * Decision: for a source connector that sets any `topic.creation.*` key, the `topic.creation.default.*`
 * and `topic.creation.<group>.*` keys are validated too (Connect only checks them when the connector
 * starts), so a missing default replication factor shows up here rather than as a failed connector.
 */

export interface ValidateConnectorConfigArgs {
  /** Answered as `name`, as Connect answers with the connector class it validated against. */
  readonly pluginName: string;
  readonly pluginType: 'source' | 'sink';
  readonly pluginDef: ConfigDef;
  /** The submitted config; REST bodies may carry nulls, which are reported as errors like Connect does. */
  readonly config: Readonly<Record<string, string | null>>;
  /** Problems found elsewhere (the plugin's own validate(), converter checks, …), attached to their keys. */
  readonly extraIssues?: readonly ConfigIssue[];
  /** The ConfigDef of a transformation or predicate class, to validate `transforms.<alias>.*` settings too. */
  readonly aliasPluginDef?: (kind: 'transforms' | 'predicates', className: string) => ConfigDef | undefined;
  /** The worker's `tasks.max.limit`: a higher tasks.max is an error on tasks.max. */
  readonly tasksMaxLimit: number;
  /** Connect's recommenders: the values offered for a key (installed converter classes, versions...). */
  readonly recommendedValues?: (name: string) => readonly string[];
  /** Prefixes of keys the plugin reads beyond its ConfigDef: not reported as unknown. */
  readonly pluginPrefixes?: readonly string[];
}

function listValue(raw: string | undefined): string[] {
  return raw === undefined
    ? []
    : raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
}

function embed(target: Record<string, ConfigKey>, prefix: string, group: string, def: ConfigDef): void {
  let order = 3;
  for (const [name, key] of Object.entries(def)) {
    const full = `${prefix}${name}`;
    // The implicit keys (type, predicate, negate) mask a plugin key of the same name, as in Connect.
    if (target[full] === undefined) target[full] = { ...key, group, orderInGroup: order++ };
  }
}

/** The connector-level ConfigDef for this config: base keys plus what its aliases and topic-creation groups add. */
export function enrichedConnectorConfigDef(
  pluginType: 'source' | 'sink',
  config: Readonly<Record<string, string>>,
  aliasPluginDef?: ValidateConnectorConfigArgs['aliasPluginDef'],
): ConfigDef {
  const def: Record<string, ConfigKey> = {
    ...(pluginType === 'sink' ? sinkConnectorConfigDef : sourceConnectorConfigDef),
  };
  for (const kind of ['transforms', 'predicates'] as const) {
    for (const alias of new Set(listValue(config[kind]))) {
      Object.assign(def, aliasTypeDef(kind, alias));
      const className = config[`${kind}.${alias}.type`];
      const pluginDef = className === undefined ? undefined : aliasPluginDef?.(kind, className.trim());
      if (pluginDef !== undefined)
        embed(
          def,
          `${kind}.${alias}.`,
          `${kind === 'transforms' ? 'Transforms' : 'Predicates'}: ${alias}`,
          pluginDef,
        );
    }
  }
  if (pluginType === 'source' && Object.keys(config).some((k) => k.startsWith(TOPIC_CREATION_PREFIX))) {
    Object.assign(def, topicCreationGroupDef(DEFAULT_TOPIC_CREATION_GROUP));
    for (const group of new Set(listValue(config['topic.creation.groups']))) {
      if (group !== DEFAULT_TOPIC_CREATION_GROUP) Object.assign(def, topicCreationGroupDef(group));
    }
  }
  return def;
}

/** Connect's SinkConnectorConfig.validate: exactly one of topics / topics.regex, and the DLQ topic not among them. */
function sinkIssues(config: Readonly<Record<string, string>>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const topics = config.topics;
  const regex = config['topics.regex'];
  const dlq = (config['errors.deadletterqueue.topic.name'] ?? '').trim();
  const hasTopics = topics !== undefined && topics.trim() !== '';
  const hasRegex = regex !== undefined && regex.trim() !== '';
  if (hasTopics && hasRegex) {
    const message = 'topics and topics.regex are mutually exclusive options, but both are set.';
    issues.push({ key: 'topics', message }, { key: 'topics.regex', message });
  }
  if (!hasTopics && !hasRegex) {
    const message = 'Must configure one of topics or topics.regex';
    issues.push({ key: 'topics', message }, { key: 'topics.regex', message });
  }
  if (dlq !== '') {
    const list = [...new Set(listValue(topics))];
    if (hasTopics && list.includes(dlq)) {
      issues.push({
        key: 'topics',
        message: `The DLQ topic '${dlq}' may not be included in the list of topics ('topics=[${list.join(', ')}]') consumed by the connector`,
      });
    }
    if (hasRegex) {
      let matches = false;
      try {
        matches = new RegExp(`^(?:${regex})$`).test(dlq);
      } catch {
        // An invalid regex is already reported by the topics.regex validator.
      }
      if (matches)
        issues.push({
          key: 'topics.regex',
          message: `The DLQ topic '${dlq}' may not be matched by the regex for the topics ('topics.regex=${regex}') consumed by the connector`,
        });
    }
  }
  return issues;
}

function transformIssues(config: Readonly<Record<string, string>>): ConfigIssue[] {
  return [...new Set(listValue(config.transforms))].flatMap((alias) => {
    const prefix = `transforms.${alias}.`;
    return config[`${prefix}negate`] !== undefined && config[`${prefix}predicate`] === undefined
      ? [
          {
            key: `${prefix}type`,
            message: `Config '${prefix}negate' was provided but there is no config '${prefix}predicate' defining a predicate to be negated.`,
          },
        ]
      : [];
  });
}

/** True when `raw` cannot even be parsed as the key's type; Connect then reports the value as null. */
function unparseable(name: string, key: ConfigKey, raw: string): boolean {
  const bare: ConfigKey = {
    type: key.type,
    importance: key.importance,
    documentation: key.documentation,
    default: null,
  };
  return ConfigValues.parse({ [name]: bare }, { [name]: raw }).issues.length > 0;
}

function valueInfo(
  name: string,
  key: ConfigKey,
  parsed: ConfigValues,
  raw: string | undefined,
  errors: string[],
  recommended: readonly string[],
): ConfigValueInfo {
  let value: string | null;
  if (raw !== undefined && unparseable(name, key, raw)) value = null;
  else {
    value = parsed.optionalString(name);
    if (value !== null && key.type === 'password') value = HIDDEN_PASSWORD;
  }
  return { name, value, recommended_values: [...recommended], errors, visible: true };
}

/** Connect answers `definition: null` for a key it has no definition of; this stands in until the REST type allows null. */
function undefinedKeyInfo(name: string): ConfigKeyInfo {
  return {
    name,
    type: 'STRING',
    required: false,
    default_value: null,
    importance: 'LOW',
    documentation: '',
    group: null,
    order_in_group: -1,
    width: 'NONE',
    display_name: name,
    dependents: [],
  };
}

export function validateConnectorConfig(args: ValidateConnectorConfigArgs): ConfigInfos {
  const config: Record<string, string> = {};
  const nullKeys: string[] = [];
  for (const [name, value] of Object.entries(args.config)) {
    if (value === null) nullKeys.push(name);
    else config[name] = value;
  }
  const def: ConfigDef = {
    ...enrichedConnectorConfigDef(args.pluginType, config, args.aliasPluginDef),
    ...args.pluginDef,
  };
  const parsed = ConfigValues.parse(def, config);

  const errors = new Map<string, string[]>();
  const addIssue = ({ key, message }: ConfigIssue): void => {
    const list = errors.get(key) ?? [];
    if (!list.includes(message)) list.push(message);
    errors.set(key, list);
  };
  parsed.issues.forEach(addIssue);
  transformIssues(config).forEach(addIssue);
  if (args.pluginType === 'sink') sinkIssues(config).forEach(addIssue);
  for (const name of nullKeys)
    addIssue({ key: name, message: 'Null value can not be supplied as the configuration value.' });
  (args.extraIssues ?? []).forEach(addIssue);
  const tasks = readTasksMax(config, args.tasksMaxLimit);
  if ('issue' in tasks) addIssue(tasks.issue);

  const configs: ConfigInfos['configs'] = [];
  // Unknown keys are accepted as Connect accepts them, with a warning that does not count as an error.
  const warnings = new Map(
    unknownConnectorKeys(args.config, def, args.pluginPrefixes).map((u) => [
      u.key,
      [unknownKeyMessage(u, 'connector')],
    ]),
  );
  for (const name of warnings.keys()) if (!errors.has(name)) errors.set(name, []);
  for (const [name, messages] of errors) {
    if (def[name] === undefined) {
      configs.push({
        definition: undefinedKeyInfo(name),
        value: {
          name,
          value:
            isClientSecret(name) && config[name] !== undefined ? HIDDEN_PASSWORD : (config[name] ?? null),
          recommended_values: [],
          errors: messages,
          visible: true,
          ...(warnings.has(name) ? { warnings: warnings.get(name)! } : {}),
        },
      });
    }
  }
  const groups: string[] = [];
  for (const [name, key] of Object.entries(def)) {
    if (key.group !== undefined && !groups.includes(key.group)) groups.push(key.group);
    configs.push({
      definition: configKeyInfo(name, key),
      value: valueInfo(
        name,
        key,
        parsed,
        config[name],
        errors.get(name) ?? [],
        args.recommendedValues?.(name) ?? [],
      ),
    });
  }
  const errorCount = [...errors.values()].reduce((sum, list) => sum + list.length, 0);
  return { name: args.pluginName, error_count: errorCount, groups, configs };
}
