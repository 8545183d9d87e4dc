import type { ConfigIssue } from '../runtime/api/config-def.js';
import type { SourceConnector } from '../runtime/api/connector.js';
import type { ConnectorPlugin } from '../runtime/api/plugin.js';
import type { ConfigInfos } from '../runtime/cluster/rest-types.js';
import { clientSecurityIssues } from '../runtime/config/client-security-issues.js';
import { isolationLevelIssues } from '../runtime/kafka/isolation-level.js';
import { validateConnectorConfig } from '../runtime/config/validate-connector-config.js';
import { transformConfigIssues } from '../runtime/transforms/transform-chain.js';
import { versionMatches } from '../runtime/config/plugin-version.js';
import type { Plugin } from '../runtime/api/plugin.js';
import type { PluginRegistry } from '../runtime/worker/plugin-registry.js';

/** Connect's exactly-once preflight (DistributedHerder.validateSourceConnectorConfig), word for word. */
export function exactlyOnceIssues(connector: SourceConnector, config: Record<string, string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if ((config['exactly.once.support'] ?? 'requested').trim().toLowerCase() === 'required') {
    const support = connector.exactlyOnceSupport?.(config);
    if (support === undefined)
      issues.push({
        key: 'exactly.once.support',
        message:
          'The connector does not implement the API required for preflight validation of exactly-once source support. Please consult the documentation for the connector to determine whether it supports exactly-once semantics, and then consider reconfiguring the connector to use the value "requested" for this property (which will disable this preflight check and allow the connector to be created).',
      });
    else if (support !== 'SUPPORTED')
      issues.push({
        key: 'exactly.once.support',
        message: 'The connector does not support exactly-once semantics with the provided configuration.',
      });
  }
  if ((config['transaction.boundary'] ?? 'poll').trim().toLowerCase() === 'connector')
    issues.push({
      key: 'transaction.boundary',
      message:
        'The connector does not support connector-defined transaction boundaries with the given configuration. Please reconfigure it to use a different transaction boundary definition.',
    });
  return issues;
}

/** The `*.plugin.version` keys of Connect 4.x and the class key each one pins. */
const VERSION_KEYS = [
  ['connector.plugin.version', 'connector.class'],
  ['key.converter.plugin.version', 'key.converter'],
  ['value.converter.plugin.version', 'value.converter'],
  ['header.converter.plugin.version', 'header.converter'],
] as const;

function aliasesOf(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** A version key naming a version (or range) the one installed version of its plugin is not in. */
function versionIssue(key: string, spec: string | undefined, plugin: Plugin | undefined): ConfigIssue[] {
  if (spec === undefined || spec.trim() === '' || plugin === undefined) return [];
  const matches = versionMatches(spec, plugin.version);
  if (matches === true) return [];
  return [
    {
      key,
      message:
        matches === null
          ? `Invalid value ${spec} for configuration ${key}: not a version or a version range`
          : `Invalid value ${spec} for configuration ${key}: plugin ${plugin.className} is installed in version ${plugin.version} only`,
    },
  ];
}

/**
 * Connect's /validate for one plugin: base connector keys, the plugin's keys, transforms and predicates,
 * converter classes, and the connector's own cross-key validate().
 */
export function connectorValidator(
  plugins: PluginRegistry,
  tasksMaxLimit: number,
  /** The worker's properties: the connector's client overrides are laid over their security keys. */
  workerProperties: Readonly<Record<string, string>> = {},
  /** Worker `exactly.once.source.support=enabled`: source connectors get Connect's exactly-once preflight checks. */
  exactlyOnceSource = false,
) {
  return async (plugin: ConnectorPlugin, config: Record<string, string>): Promise<ConfigInfos> => {
    const issues: ConfigIssue[] = [
      ...clientSecurityIssues(config, workerProperties),
      ...(plugin.type === 'sink' ? isolationLevelIssues(config) : []),
      ...transformConfigIssues(config, {
        transformation: (n) => plugins.transformation(n),
        predicate: (n) => plugins.predicate(n),
      }),
    ];
    for (const key of ['key.converter', 'value.converter'] as const) {
      const cls = config[key];
      if (cls !== undefined && plugins.converter(cls) === undefined) {
        issues.push({
          key,
          message: `Invalid value ${cls} for configuration ${key}: Class ${cls} could not be found.`,
        });
      }
    }
    const headerClass = config['header.converter'];
    if (headerClass !== undefined && plugins.headerConverter(headerClass) === undefined) {
      issues.push({
        key: 'header.converter',
        message: `Invalid value ${headerClass} for configuration header.converter: Class ${headerClass} could not be found.`,
      });
    }
    const pluginFor = (classKey: (typeof VERSION_KEYS)[number][1]): Plugin | undefined => {
      if (classKey === 'connector.class') return plugin;
      const cls = config[classKey];
      if (cls === undefined) return undefined;
      return classKey === 'header.converter' ? plugins.headerConverter(cls) : plugins.converter(cls);
    };
    for (const [versionKey, classKey] of VERSION_KEYS)
      issues.push(...versionIssue(versionKey, config[versionKey], pluginFor(classKey)));
    const connector = plugin.createConnector();
    if (exactlyOnceSource && plugin.type === 'source')
      issues.push(...exactlyOnceIssues(connector as SourceConnector, config));
    if (connector.validate) {
      try {
        issues.push(...(await connector.validate(config)));
      } catch (error) {
        issues.push({ key: 'connector.class', message: `validate() failed: ${(error as Error).message}` });
      }
    }
    // Connect's recommenders: installed classes for converters, transforms and predicates; installed versions.
    const recommended = new Map<string, readonly string[]>([
      ['key.converter', plugins.classNames('converter')],
      ['value.converter', plugins.classNames('converter')],
      ['header.converter', plugins.classNames('header_converter')],
    ]);
    for (const [versionKey, classKey] of VERSION_KEYS) {
      const versioned = pluginFor(classKey);
      if (versioned !== undefined) recommended.set(versionKey, [versioned.version]);
    }
    for (const alias of aliasesOf(config['transforms']))
      recommended.set(`transforms.${alias}.type`, plugins.classNames('transformation'));
    for (const alias of aliasesOf(config['predicates']))
      recommended.set(`predicates.${alias}.type`, plugins.classNames('predicate'));
    return validateConnectorConfig({
      // Connect answers with the connector.class it was given (ConfigInfos.name).
      pluginName: config['connector.class'] ?? plugin.className,
      recommendedValues: (name) => recommended.get(name) ?? [],
      pluginType: plugin.type,
      pluginDef: plugin.configDef,
      pluginPrefixes: plugin.configPrefixes ?? [],
      config,
      extraIssues: issues,
      tasksMaxLimit,
      aliasPluginDef: (kind, className) =>
        kind === 'transforms'
          ? plugins.transformation(className)?.configDef
          : plugins.predicate(className)?.configDef,
    });
  };
}
