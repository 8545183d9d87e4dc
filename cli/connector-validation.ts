import type { ConfigIssue } from '../runtime/api/config-def.js';
import type { ConnectorPlugin } from '../runtime/api/plugin.js';
import type { ConfigInfos } from '../runtime/cluster/rest-types.js';
import { clientSecurityIssues } from '../runtime/config/client-security-issues.js';
import { isolationLevelIssues } from '../runtime/kafka/isolation-level.js';
import { validateConnectorConfig } from '../runtime/config/validate-connector-config.js';
import { transformConfigIssues } from '../runtime/transforms/transform-chain.js';
import type { PluginRegistry } from '../runtime/worker/plugin-registry.js';

/**
 * Connect's /validate for one plugin: base connector keys, the plugin's keys, transforms and predicates,
 * converter classes, and the connector's own cross-key validate().
 */
export function connectorValidator(
  plugins: PluginRegistry,
  tasksMaxLimit: number,
  /** The worker's properties: the connector's client overrides are laid over their security keys. */
  workerProperties: Readonly<Record<string, string>> = {},
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
    const connector = plugin.createConnector();
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
