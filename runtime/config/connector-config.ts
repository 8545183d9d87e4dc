import type { ConfigDef, ConfigKey, ParsedConfigValue } from '../api/config-def.js';
import type { Plugin } from '../api/plugin.js';

/**
 * The keys every connector has, whatever its plugin (Kafka Connect's ConnectorConfig,
 * SinkConnectorConfig, SourceConnectorConfig and TopicCreationConfig): same names, defaults,
 * groups and order, so /validate and tooling that reads it behave as against Connect.
 * Connect's SHORT type (replication factors) is modelled as INT with Connect's range.
 */

export const COMMON_GROUP = 'Common';
export const TRANSFORMS_GROUP = 'Transforms';
export const PREDICATES_GROUP = 'Predicates';
export const ERROR_GROUP = 'Error Handling';
export const TOPIC_CREATION_GROUP = 'Topic Creation';
export const EXACTLY_ONCE_SUPPORT_GROUP = 'Exactly Once Support';
export const OFFSETS_TOPIC_GROUP = 'offsets.topic';

function uniqueAliases(value: ParsedConfigValue): string | null {
  const items = Array.isArray(value) ? value : [];
  return new Set(items).size < items.length ? 'Duplicate alias provided.' : null;
}

function nonEmptyWithoutControlChars(value: ParsedConfigValue): string | null {
  const text = typeof value === 'string' ? value : '';
  if (text.trim() === '') return 'String may not be empty';
  const control = [...text].filter((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
  return control.length === 0
    ? null
    : `String may not contain control sequences but had the following ASCII chars: ${control.map((c) => c.charCodeAt(0)).join(', ')}`;
}

/**
 * The longest connector name, counted as `encodeURIComponent` writes it into a REST path: the REST
 * server routes path segments up to this length, so every name it accepts can be read and deleted.
 */
export const MAX_ENCODED_CONNECTOR_NAME_LENGTH = 4096;

/** Connect's rule for names (not empty, no control characters), plus: every name must be addressable by a REST path. */
function addressableConnectorName(value: ParsedConfigValue): string | null {
  const problem = nonEmptyWithoutControlChars(value);
  if (problem !== null) return problem;
  const text = typeof value === 'string' ? value : '';
  // URL normalization turns /connectors/. and /connectors/.. into other paths, whatever the client encodes.
  if (text === '.' || text === '..')
    return `Connector name may not be '${text}': no REST path can address it`;
  let encoded: number;
  try {
    encoded = encodeURIComponent(text).length;
  } catch {
    return 'Connector name may not contain unpaired UTF-16 surrogates: no REST path can address it';
  }
  return encoded > MAX_ENCODED_CONNECTOR_NAME_LENGTH
    ? `Connector name may be at most ${MAX_ENCODED_CONNECTOR_NAME_LENGTH} characters once URL-encoded (this one has ${encoded}): no REST path could address it`
    : null;
}

function validRegex(value: ParsedConfigValue): string | null {
  if (typeof value !== 'string' || value === '') return null;
  try {
    new RegExp(value);
    return null;
  } catch (error) {
    return `Syntax error in regular expression: ${(error as Error).message}`;
  }
}

function validRegexList(value: ParsedConfigValue): string | null {
  for (const item of Array.isArray(value) ? value : []) {
    const problem = validRegex(item);
    if (problem !== null) return problem;
  }
  return null;
}

const positiveOrBrokerDefault =
  (message: string) =>
  (value: ParsedConfigValue): string | null =>
    typeof value === 'number' && value !== -1 && value < 1 ? message : null;

const REPLICATION_FACTOR_CHECK = positiveOrBrokerDefault(
  "Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default",
);
const PARTITIONS_CHECK = positiveOrBrokerDefault(
  "Number of partitions must be positive, or -1 to use the broker's default",
);

const CONVERTER_DOC = (what: string): string =>
  `Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka. This controls the format of the ${what} in messages written to or read from Kafka. By default, the worker's setting is used.`;

/**
 * Connect's ConnectorConfig.configDef() (4.x, with KIP-891's `*.plugin.version` keys). Sluice installs one
 * version of each plugin: a version key naming another one is an error (checked where plugins are known).
 */
export const connectorConfigDef: ConfigDef = {
  name: {
    type: 'string',
    importance: 'high',
    documentation: 'Globally unique name to use for this connector.',
    group: COMMON_GROUP,
    orderInGroup: 1,
    width: 'medium',
    displayName: 'Connector name',
    validator: { check: addressableConnectorName },
  },
  'connector.class': {
    type: 'string',
    importance: 'high',
    documentation: 'Name or alias of the class for this connector.',
    group: COMMON_GROUP,
    orderInGroup: 2,
    width: 'long',
    displayName: 'Connector class',
  },
  'connector.plugin.version': {
    type: 'string',
    default: null,
    importance: 'medium',
    documentation: 'Version of the connector.',
    group: COMMON_GROUP,
    orderInGroup: 3,
    width: 'medium',
    displayName: 'Connector version',
  },
  'tasks.max': {
    type: 'int',
    default: 1,
    importance: 'high',
    documentation: 'Maximum number of tasks to use for this connector.',
    group: COMMON_GROUP,
    orderInGroup: 4,
    width: 'short',
    displayName: 'Tasks max',
    validator: { min: 1 },
  },
  'tasks.max.enforce': {
    type: 'boolean',
    default: true,
    importance: 'low',
    documentation:
      '(Deprecated) Whether to enforce that the tasks.max property is respected by the connector. By default, connectors that generate too many tasks will fail. If this property is set to false, then connectors will be allowed to generate more than the maximum number of tasks (never more than the worker allows one connector: tasks.max.limit).',
    group: COMMON_GROUP,
    orderInGroup: 5,
    width: 'short',
    displayName: 'Enforce tasks max',
  },
  'key.converter': {
    type: 'class',
    default: null,
    importance: 'low',
    documentation: CONVERTER_DOC('keys'),
    group: COMMON_GROUP,
    orderInGroup: 6,
    width: 'short',
    displayName: 'Key converter class',
  },
  'key.converter.plugin.version': {
    type: 'string',
    default: null,
    importance: 'low',
    documentation: 'Version of the key converter.',
    group: COMMON_GROUP,
    orderInGroup: 7,
    width: 'short',
    displayName: 'Key converter version',
  },
  'value.converter': {
    type: 'class',
    default: null,
    importance: 'low',
    documentation: CONVERTER_DOC('values'),
    group: COMMON_GROUP,
    orderInGroup: 8,
    width: 'short',
    displayName: 'Value converter class',
  },
  'value.converter.plugin.version': {
    type: 'string',
    default: null,
    importance: 'low',
    documentation: 'Version of the value converter.',
    group: COMMON_GROUP,
    orderInGroup: 9,
    width: 'short',
    displayName: 'Value converter version',
  },
  'header.converter': {
    type: 'class',
    default: null,
    importance: 'low',
    documentation: `Header${CONVERTER_DOC('header values')}`,
    group: COMMON_GROUP,
    orderInGroup: 10,
    width: 'short',
    displayName: 'Header converter class',
  },
  'header.converter.plugin.version': {
    type: 'string',
    default: null,
    importance: 'low',
    documentation: 'Version of the header converter.',
    group: COMMON_GROUP,
    orderInGroup: 11,
    width: 'short',
    displayName: 'Header converter version',
  },
  transforms: {
    type: 'list',
    default: [],
    importance: 'low',
    documentation: 'Aliases for the transformations to be applied to records.',
    group: TRANSFORMS_GROUP,
    orderInGroup: 12,
    width: 'long',
    displayName: 'Transforms',
    validator: { check: uniqueAliases },
  },
  predicates: {
    type: 'list',
    default: [],
    importance: 'low',
    documentation: 'Aliases for the predicates used by transformations.',
    group: PREDICATES_GROUP,
    orderInGroup: 13,
    width: 'long',
    displayName: 'Predicates',
    validator: { check: uniqueAliases },
  },
  'config.action.reload': {
    type: 'string',
    default: 'restart',
    importance: 'low',
    documentation:
      "The action to take on the connector when a config provider reports changed values: 'none' does nothing, 'restart' restarts the connector with the new values.",
    group: COMMON_GROUP,
    orderInGroup: 14,
    width: 'medium',
    displayName: 'Reload Action',
    validator: { oneOf: ['none', 'restart'] },
  },
  'errors.retry.timeout': {
    type: 'long',
    default: 0,
    importance: 'medium',
    documentation:
      'The maximum duration in milliseconds that a failed operation will be reattempted. The default is 0, which means no retries will be attempted. Use -1 for infinite retries.',
    group: ERROR_GROUP,
    orderInGroup: 1,
    width: 'medium',
    displayName: 'Retry Timeout for Errors',
  },
  'errors.retry.delay.max.ms': {
    type: 'long',
    default: 60000,
    importance: 'medium',
    documentation:
      'The maximum duration in milliseconds between consecutive retry attempts. Jitter is added to the delay once this limit is reached.',
    group: ERROR_GROUP,
    orderInGroup: 2,
    width: 'medium',
    displayName: 'Maximum Delay Between Retries for Errors',
  },
  'errors.tolerance': {
    type: 'string',
    default: 'none',
    importance: 'medium',
    documentation:
      "Behavior for tolerating errors during connector operation. 'none' is the default value and signals that any error will result in an immediate connector task failure; 'all' changes the behavior to skip over problematic records.",
    group: ERROR_GROUP,
    orderInGroup: 3,
    width: 'short',
    displayName: 'Error Tolerance',
    validator: { oneOf: ['none', 'all'] },
  },
  'errors.log.enable': {
    type: 'boolean',
    default: false,
    importance: 'medium',
    documentation:
      'If true, write each error and the details of the failed operation and problematic record to the application log.',
    group: ERROR_GROUP,
    orderInGroup: 4,
    width: 'short',
    displayName: 'Log Errors',
  },
  'errors.log.include.messages': {
    type: 'boolean',
    default: false,
    importance: 'medium',
    documentation:
      'Whether to include in the log the record that resulted in a failure. False by default, which keeps record keys, values and headers out of log files.',
    group: ERROR_GROUP,
    orderInGroup: 5,
    width: 'short',
    displayName: 'Log Error Details',
  },
};

/** Connect's SinkConnectorConfig.configDef(): the base plus topics and the dead letter queue. */
export const sinkConnectorConfigDef: ConfigDef = {
  ...connectorConfigDef,
  topics: {
    type: 'list',
    default: '',
    importance: 'high',
    documentation: 'List of topics to consume, separated by commas',
    group: COMMON_GROUP,
    orderInGroup: 4,
    width: 'long',
    displayName: 'Topics',
  },
  'topics.regex': {
    type: 'string',
    default: '',
    importance: 'high',
    documentation:
      'Regular expression giving topics to consume. Only one of topics or topics.regex should be specified.',
    group: COMMON_GROUP,
    orderInGroup: 4,
    width: 'long',
    displayName: 'Topics regex',
    validator: { check: validRegex },
  },
  'errors.deadletterqueue.topic.name': {
    type: 'string',
    default: '',
    importance: 'medium',
    documentation:
      'The name of the topic to be used as the dead letter queue (DLQ) for records that fail in this sink connector, its transformations or converters. Blank (the default) means no DLQ.',
    group: ERROR_GROUP,
    orderInGroup: 6,
    width: 'medium',
    displayName: 'Dead Letter Queue Topic Name',
  },
  'errors.deadletterqueue.topic.replication.factor': {
    type: 'short',
    default: 3,
    importance: 'medium',
    documentation:
      "Replication factor used to create the dead letter queue topic when it doesn't already exist.",
    group: ERROR_GROUP,
    orderInGroup: 7,
    width: 'medium',
    displayName: 'Dead Letter Queue Topic Replication Factor',
    validator: { min: -32768, max: 32767 },
  },
  'errors.deadletterqueue.context.headers.enable': {
    type: 'boolean',
    default: false,
    importance: 'medium',
    documentation:
      'If true, add headers (prefixed __connect.errors.) with the error context to records written to the dead letter queue.',
    group: ERROR_GROUP,
    orderInGroup: 8,
    width: 'medium',
    displayName: 'Enable Error Context Headers',
  },
};

/** Connect's SourceConnectorConfig.configDef(): the base plus topic creation, exactly-once and offsets topic keys. */
export const sourceConnectorConfigDef: ConfigDef = {
  ...connectorConfigDef,
  'topic.creation.groups': {
    type: 'list',
    default: [],
    importance: 'low',
    documentation: 'Groups of configurations for topics created by source connectors',
    group: TOPIC_CREATION_GROUP,
    orderInGroup: 1,
    width: 'long',
    displayName: 'Topic Creation Groups',
    validator: { check: uniqueAliases },
  },
  'exactly.once.support': {
    type: 'string',
    default: 'requested',
    importance: 'medium',
    documentation:
      'Permitted values are requested, required. If "required", a preflight check ensures the connector can provide exactly-once semantics with the given configuration.',
    group: EXACTLY_ONCE_SUPPORT_GROUP,
    orderInGroup: 2,
    width: 'short',
    displayName: 'Exactly once support',
    validator: { oneOf: ['requested', 'required'] },
  },
  'transaction.boundary': {
    type: 'string',
    default: 'poll',
    importance: 'medium',
    documentation:
      "Permitted values are: poll, interval, connector. 'poll' commits a transaction for every batch a task returns; 'connector' relies on connector-defined boundaries; 'interval' commits after transaction.boundary.interval.ms.",
    group: EXACTLY_ONCE_SUPPORT_GROUP,
    orderInGroup: 3,
    width: 'short',
    displayName: 'Transaction Boundary',
    validator: { oneOf: ['poll', 'interval', 'connector'] },
  },
  'transaction.boundary.interval.ms': {
    type: 'long',
    default: null,
    importance: 'low',
    documentation:
      "If 'transaction.boundary' is 'interval', the interval between producer transaction commits. Defaults to the worker's offset.flush.interval.ms.",
    group: EXACTLY_ONCE_SUPPORT_GROUP,
    orderInGroup: 4,
    width: 'short',
    displayName: 'Transaction boundary interval',
    validator: { min: 0 },
  },
  'offsets.storage.topic': {
    type: 'string',
    default: null,
    importance: 'low',
    documentation:
      "The name of a separate offsets topic to use for this connector. If empty or not specified, the worker's global offsets topic is used. Only applicable in distributed mode.",
    group: OFFSETS_TOPIC_GROUP,
    orderInGroup: 1,
    width: 'long',
    displayName: 'Offsets topic',
    validator: { nonEmpty: true },
  },
};

export const TOPIC_CREATION_PREFIX = 'topic.creation.';
export const DEFAULT_TOPIC_CREATION_GROUP = 'default';

/** Connect's TopicCreationConfig for one group; the default group's replication factor and partitions are required. */
export function topicCreationGroupDef(group: string): ConfigDef {
  const isDefault = group === DEFAULT_TOPIC_CREATION_GROUP;
  const configGroup = isDefault ? DEFAULT_TOPIC_CREATION_GROUP : `${TOPIC_CREATION_GROUP}: ${group}`;
  const prefix = `${TOPIC_CREATION_PREFIX}${group}.`;
  const required = (k: ConfigKey): ConfigKey => (isDefault ? k : { ...k, default: null });
  return {
    [`${prefix}include`]: {
      type: 'list',
      default: isDefault ? '.*' : [],
      importance: 'low',
      documentation:
        'A list of regular expressions matching the topic names to create with the settings of this group.',
      group: configGroup,
      orderInGroup: 1,
      width: 'long',
      displayName: `Inclusion Topic Pattern for ${configGroup}`,
      validator: { check: validRegexList },
    },
    [`${prefix}exclude`]: {
      type: 'list',
      default: [],
      importance: 'low',
      documentation:
        'A list of regular expressions matching topic names excluded from this group; exclusion wins over inclusion.',
      group: configGroup,
      orderInGroup: 2,
      width: 'long',
      displayName: `Exclusion Topic Pattern for ${configGroup}`,
      validator: { check: validRegexList },
    },
    [`${prefix}replication.factor`]: required({
      type: 'int',
      importance: 'low',
      documentation:
        "Replication factor for new topics of this group, or -1 for the broker's default. Required for the default group; other groups inherit it.",
      group: configGroup,
      orderInGroup: 3,
      width: 'long',
      displayName: `Replication Factor for Topics in ${configGroup}`,
      validator: { min: -32768, max: 32767, check: REPLICATION_FACTOR_CHECK },
    }),
    [`${prefix}partitions`]: required({
      type: 'int',
      importance: 'low',
      documentation:
        "Number of partitions for new topics of this group, or -1 for the broker's default. Required for the default group; other groups inherit it.",
      group: configGroup,
      orderInGroup: 4,
      width: 'long',
      displayName: `Partition Count for Topics in ${configGroup}`,
      validator: { check: PARTITIONS_CHECK },
    }),
  };
}

/**
 * Keys Connect adds for each alias listed in `transforms` / `predicates` (ConnectorConfig.enrich): the
 * class and its KIP-891 version pin first; a transformation's `predicate` and `negate` have no place of
 * their own, they are sorted in among the plugin's keys (see embedAliasKeys).
 */
export function aliasTypeDef(kind: 'transforms' | 'predicates', alias: string): ConfigDef {
  const prefix = `${kind}.${alias}.`;
  const group = `${kind === 'transforms' ? TRANSFORMS_GROUP : PREDICATES_GROUP}: ${alias}`;
  const noun = kind === 'transforms' ? 'transformation' : 'predicate';
  const title = kind === 'transforms' ? 'Transformation' : 'Predicate';
  return {
    [`${prefix}type`]: {
      type: 'class',
      importance: 'high',
      documentation: `Class for the '${alias}' ${noun}.`,
      group,
      orderInGroup: 0,
      width: 'long',
      displayName: `${title} type for ${alias}`,
    },
    [`${prefix}plugin.version`]: {
      type: 'string',
      default: null,
      importance: 'high',
      documentation: `Version of the '${alias}' ${noun}.`,
      group,
      orderInGroup: 1,
      width: 'long',
      displayName: `${title} version for ${alias}`,
    },
  };
}

/** The keys every transformation alias has besides its plugin's own (TransformationStage's). */
export const TRANSFORM_STAGE_DEF: ConfigDef = {
  predicate: {
    type: 'string',
    default: null,
    importance: 'medium',
    documentation: 'The alias of a predicate used to determine whether to apply this transformation.',
  },
  negate: {
    type: 'boolean',
    default: false,
    importance: 'medium',
    documentation: 'Whether the configured predicate should be negated.',
  },
};

/**
 * What GET /connector-plugins/{plugin}/config describes (Connect's AbstractHerder.connectorPluginConfig):
 * for a connector, the framework's keys for its type, then the plugin's own (a key both define keeps its
 * place and takes the plugin's definition); for a converter, transformation or predicate, its own keys.
 */
export function pluginConfigDef(plugin: Plugin): ConfigDef {
  if (plugin.type !== 'source' && plugin.type !== 'sink') return plugin.configDef;
  const base = plugin.type === 'sink' ? sinkConnectorConfigDef : sourceConnectorConfigDef;
  return {
    ...base,
    // Connect shows the version a pin resolves to: the one installed.
    'connector.plugin.version': { ...base['connector.plugin.version']!, default: plugin.version },
    ...plugin.configDef,
  };
}
