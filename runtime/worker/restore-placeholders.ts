import type { ConnectorConfig } from '../api/connector.js';
import { hasPlaceholder } from '../config/config-providers.js';

/**
 * Connect's AbstractHerder.reverseTransform: a connector generates its task configs from its resolved
 * config, so a key whose stored value was a `${provider:...}` placeholder would carry the resolved
 * value (a secret) into the stored task configs and GET /connectors/{c}/tasks. Such keys get the
 * placeholder back; the worker resolves it again when the task starts.
 */
export function restorePlaceholders(
  rawConnectorConfig: ConnectorConfig,
  taskConfigs: readonly Record<string, string>[],
): Record<string, string>[] {
  const keys = Object.keys(rawConnectorConfig).filter((k) => hasPlaceholder(rawConnectorConfig[k] ?? ''));
  return taskConfigs.map((taskConfig) => {
    const restored = { ...taskConfig };
    for (const key of keys) if (key in restored) restored[key] = rawConnectorConfig[key]!;
    return restored;
  });
}
