import type { ConfigIssue } from '../runtime/api/config-def.js';
import type { SourceConnector } from '../runtime/api/connector.js';
import type { ConnectorPlugin } from '../runtime/api/plugin.js';
import type { ConfigInfos } from '../runtime/cluster/rest-types.js';
import { clientSecurityIssues } from '../runtime/config/client-security-issues.js';
import { validateConnectorConfig } from '../runtime/config/validate-connector-config.js';
import { transformConfigIssues } from '../runtime/transforms/transform-chain.js';
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
    return validateConnectorConfig({
      pluginName: plugin.className,
      pluginType: plugin.type,
      pluginDef: plugin.configDef,
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
